/**
 * What a coordinator should know before approving: values the pipeline was unsure of that nobody
 * looked at, required values that are missing, an expired credential, a status that is not good
 * standing. Approving one of these is allowed, but only after a confirmation that names them.
 */
import type { DocumentDetail } from '../../common/api';
import type { DocType } from '../../common/extraction';
import { parseActivityRowsText } from './activity-rows';
import { MEDIUM_CONFIDENCE, editTextFor, fieldLabel, isActivitiesField, orderReviewFields } from './review-fields';

export interface ApprovalConcern {
  /** The field to return to when the reviewer goes back to fix it. */
  field: string;
  message: string;
}

/**
 * The fields without which an approved record is useless to credentialing. NPI is absent on
 * purpose: most of these documents do not print it.
 */
export const REQUIRED_FIELDS: Record<DocType, readonly string[]> = {
  dea_registration: ['registrantName', 'deaNumber', 'schedules', 'expirationDate'],
  medical_license: ['licenseeName', 'state', 'licenseNumber', 'licenseType', 'expirationDate', 'status'],
  csr_certificate: ['registrantName', 'state', 'registrationNumber', 'expirationDate'],
  cme_certificate: ['participantName', 'activityTitle', 'completionDate', 'credits'],
  cme_transcript: ['participantName', 'activities'],
  unknown: [],
};

/** Words a board prints for a license in good standing ("ACTIVE", "Active - Clear", "Current"). */
const GOOD_STANDING = new Set(['ACTIVE', 'CLEAR', 'CURRENT']);

export interface ReviewerState {
  /** Edit-box text of fields changed and not saved yet. */
  edits: Readonly<Record<string, string>>;
  /** Fields the reviewer accepted as they are. */
  accepted: ReadonlySet<string>;
  /** Local calendar date, YYYY-MM-DD. */
  today: string;
}

export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The concerns in review order (the order the field list shows); empty when approval needs no confirmation. */
export function approvalConcerns(doc: DocumentDetail, reviewer: ReviewerState): ApprovalConcern[] {
  const docType: DocType = doc.extraction?.docType ?? doc.docType ?? 'unknown';
  const required = new Set(REQUIRED_FIELDS[docType]);
  const concerns: ApprovalConcern[] = [];
  for (const field of orderReviewFields(doc)) {
    const edited = field.name in reviewer.edits;
    // What the approval will store: the unsaved edit wins over the saved or extracted value.
    const text = edited ? (reviewer.edits[field.name] ?? '').trim() : editTextFor(field.name, field.value).trim();
    const label = fieldLabel(field.name);
    const checked = edited || field.corrected || reviewer.accepted.has(field.name);
    if (text === '' || text === '[]') {
      if (required.has(field.name)) concerns.push({ field: field.name, message: `${label} is missing.` });
      continue;
    }
    if (!checked && field.confidence !== null && field.confidence < MEDIUM_CONFIDENCE) {
      const shown = isActivitiesField(field.name)
        ? `(${parseActivityRowsText(text).length} rows)`
        : `"${shorten(text)}"`;
      concerns.push({
        field: field.name,
        message: `${label} ${shown} was read with ${Math.round(field.confidence * 100)}% confidence and has not been checked.`,
      });
    }
    if (field.name === 'expirationDate' && /^\d{4}-\d{2}-\d{2}/.test(text) && text.slice(0, 10) < reviewer.today) {
      concerns.push({ field: field.name, message: `The credential expired on ${text.slice(0, 10)}.` });
    }
    if (field.name === 'status' && !inGoodStanding(text)) {
      concerns.push({ field: field.name, message: `Status is "${shorten(text)}", not Active, Clear or Current.` });
    }
  }
  return concerns;
}

function inGoodStanding(status: string): boolean {
  const words = status
    .toUpperCase()
    .split(/[^A-Z]+/)
    .filter(Boolean);
  return words.length > 0 && words.every((w) => GOOD_STANDING.has(w));
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…` : oneLine;
}
