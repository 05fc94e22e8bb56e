/** State controlled-substance registrations (CSR, CDS, CSL, BNDD, MCSR...). */
import { best, searchByLabel, type LabelRule } from '../field-search';
import { parseIdentifier } from '../parsers';
import type { Found } from '../types';
import { deaCheckDigitOk } from '../validate';
import {
  CERTIFY_LABELS,
  commaNameLine,
  credentialDates,
  headingState,
  issuingState,
  nameAboveAddress,
  nameByLabels,
  npi,
  schedules,
  stateFromLabel,
  type DocContext,
  type FieldMap,
} from './shared-fields';

const L = (re: RegExp, strength = 1): LabelRule => ({ re, strength });

const NAME_LABELS = [
  L(/\b(registrant name|name of registrant|registrant|licensee name|licensee|practitioner name|name)\b[:\s]*/i, 0.95),
  ...CERTIFY_LABELS,
];
const NUMBER_LABELS = [
  L(
    /\b(([A-Z]{2,5}|controlled substances?) )?((registration |license |permit |certificate |credential )(number|no\.?|#)|reg\.? (no\.?|#)|(number|no\.?|#))[:#\s]*/i,
  ),
  // A results table's first heading: "Credential #", "License/Registration" (the rest of it, "#" or "n #", wrapped below).
  L(/^(credential|licen[cs]e\s*\/\s*registr[a-z]*|registration\s*\/\s*licen[cs]e)\s*#?\s*$/i, 0.9),
];

export function extractCsrCertificate(ctx: DocContext): FieldMap {
  const dates = credentialDates(ctx);
  return {
    registrantName: nameByLabels(ctx, NAME_LABELS) ?? nameAboveAddress(ctx) ?? commaNameLine(ctx),
    // The issuing body's own state first: a "State" field on a verification page is often the address's.
    state: headingState(ctx) ?? stateFromLabel(ctx) ?? issuingState(ctx),
    registrationNumber: best(searchByLabel(ctx.lines, NUMBER_LABELS, parseIdentifier)) ?? bareNumber(ctx),
    schedules: schedules(ctx),
    issueDate: dates.issueDate,
    expirationDate: dates.expirationDate,
    npi: npi(ctx),
  };
}

/**
 * A cell holding only a prefixed number ("CS4571417", "M23622"): not a DEA number, a date or a ZIP.
 * A wallet card whose small-print labels OCR lost still shows its number so (and its dates:
 * credentialDates); weaker than a labelled number, used only without one.
 */
function bareNumber(ctx: DocContext): Found | null {
  for (const line of ctx.lines) {
    for (const segment of line.segments) {
      const t = segment.length === 1 ? segment[0]!.text.replace(/[.,;:]$/, '') : '';
      if (/^[A-Z]{1,3}-?\d{5,}$/.test(t) && !deaCheckDigitOk(t))
        return { value: t, words: segment, method: 'pattern', labelStrength: 0.6 };
    }
  }
  return null;
}
