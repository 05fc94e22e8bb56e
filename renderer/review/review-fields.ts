/**
 * The review list's rules: which fields come first, how confident each is in words, and how a
 * value becomes editable text and back.
 */
import type { DocumentDetail } from '../../common/api';
import { FIELDS_BY_DOC_TYPE, type BBox, type DocType } from '../../common/extraction';
import { activityRowsText, fromActivityRows, parseActivityRowsText, toActivityRows } from './activity-rows';

export type ConfidenceLevel = 'high' | 'medium' | 'low' | 'missing';

/** Below this a value is worth a second look; below LOW it is probably wrong. */
export const MEDIUM_CONFIDENCE = 0.9;
export const LOW_CONFIDENCE = 0.6;

export interface ReviewField {
  name: string;
  value: unknown;
  /** The reviewer's saved correction, when there is one. */
  corrected: boolean;
  confidence: number | null;
  page: number | null;
  bbox: BBox | null;
  /** Validator warnings that name this field. */
  problems: string[];
}

/** Statuses the server accepts a review for; other documents show no review actions. */
export const REVIEWABLE_STATUSES: ReadonlySet<string> = new Set(['review_pending', 'approved', 'rejected']);

export function confidenceLevel(confidence: number | null): ConfidenceLevel {
  if (confidence === null) return 'missing';
  if (confidence >= MEDIUM_CONFIDENCE) return 'high';
  if (confidence >= LOW_CONFIDENCE) return 'medium';
  return 'low';
}

export function confidenceText(confidence: number | null): string {
  const level = confidenceLevel(confidence);
  if (level === 'missing' || confidence === null) return 'Not found';
  const label = level === 'high' ? 'High' : level === 'medium' ? 'Check' : 'Low';
  return `${label} · ${Math.round(confidence * 100)}%`;
}

function rank(field: ReviewField): number {
  if (field.problems.length > 0) return 0;
  const level = confidenceLevel(field.confidence);
  if (level === 'low' || level === 'missing') return 1;
  if (level === 'medium') return 2;
  return 3;
}

/** Failed validation first, then low and missing, then medium, then the rest; the doc type's order within each. */
export function orderReviewFields(doc: DocumentDetail): ReviewField[] {
  const extraction = doc.extraction;
  // Nothing was read (failed or still processing): no field rows, not a list of "Not found".
  if (!extraction && Object.keys(doc.corrections).length === 0) return [];
  const docType: DocType = extraction?.docType ?? doc.docType ?? 'unknown';
  const names = [...FIELDS_BY_DOC_TYPE[docType]];
  for (const name of Object.keys(extraction?.fields ?? {})) if (!names.includes(name)) names.push(name);
  for (const name of Object.keys(doc.corrections)) if (!names.includes(name)) names.push(name);
  const fields = names.map((name, index) => {
    const extracted = extraction?.fields[name] ?? null;
    const correction = doc.corrections[name];
    const problems = (extraction?.warnings ?? []).filter((w) => w.field === name).map((w) => w.message);
    const field: ReviewField = {
      name,
      value: correction ? correction.value : (extracted?.value ?? null),
      corrected: correction !== undefined,
      confidence: extracted ? extracted.confidence : null,
      page: extracted ? extracted.page : null,
      bbox: extracted ? extracted.bbox : null,
      problems,
    };
    return { field, index };
  });
  fields.sort((a, b) => rank(a.field) - rank(b.field) || a.index - b.index);
  return fields.map((f) => f.field);
}

export function toEditText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return JSON.stringify(value, null, 2);
}

/** Turns edited text back into a value shaped like the original; throws with a readable message. */
export function fromEditText(original: unknown, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (typeof original === 'number') {
    const n = Number(trimmed);
    if (!Number.isFinite(n)) throw new Error(`"${trimmed}" is not a number.`);
    return n;
  }
  if (Array.isArray(original) && original.every((v) => typeof v === 'string')) {
    return trimmed
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (Array.isArray(original) || (typeof original === 'object' && original !== null)) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      throw new Error('This field holds a list: keep it as JSON.');
    }
  }
  return trimmed;
}

/** Fields edited as a table of rows rather than as one text box. */
export function isActivitiesField(name: string): boolean {
  return name === 'activities';
}

/** The edit text of a field's value: a transcript's activities as table rows, anything else as `toEditText`. */
export function editTextFor(name: string, value: unknown): string {
  return isActivitiesField(name) ? activityRowsText(toActivityRows(value)) : toEditText(value);
}

/** An edit turned back into the field's value; throws with a readable message. */
export function parseEdit(name: string, original: unknown, text: string): unknown {
  if (!isActivitiesField(name)) return fromEditText(original, text);
  const activities = fromActivityRows(parseActivityRowsText(text));
  return activities.length > 0 ? activities : null;
}

const WORDS = /([a-z])([A-Z])/g;

/** `expirationDate` → `Expiration date`, `npi` → `NPI`. */
export function fieldLabel(name: string): string {
  if (name === 'npi') return 'NPI';
  if (name === 'deaNumber') return 'DEA number';
  const words = name.replace(WORDS, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
