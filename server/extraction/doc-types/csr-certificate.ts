/** State controlled-substance registrations (CSR, CDS, CSL, BNDD, MCSR...). */
import { findDates } from '../dates';
import { best, searchByLabel, type LabelRule } from '../field-search';
import { parseIdentifier } from '../parsers';
import type { Found } from '../types';
import { deaCheckDigitOk } from '../validate';
import {
  CERTIFY_LABELS,
  commaNameLine,
  expirationDate,
  headingState,
  issueDate,
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
  const issued = issueDate(ctx);
  return {
    registrantName: nameByLabels(ctx, NAME_LABELS) ?? nameAboveAddress(ctx) ?? commaNameLine(ctx),
    // The issuing body's own state first: a "State" field on a verification page is often the address's.
    state: headingState(ctx) ?? stateFromLabel(ctx) ?? issuingState(ctx),
    registrationNumber: best(searchByLabel(ctx.lines, NUMBER_LABELS, parseIdentifier)) ?? bareNumber(ctx),
    schedules: schedules(ctx),
    issueDate: issued,
    expirationDate: expirationDate(ctx) ?? (issued ? null : onlyDate(ctx)),
    npi: npi(ctx),
  };
}

/*
 * A wallet card whose small-print labels OCR lost still shows its values: the registration number
 * alone in its cell and one date, which a registration card prints as the end of its validity.
 * Both are weaker than labelled values and used only without them.
 */

/** A cell holding only a prefixed number ("CS4571417", "M23622"): not a DEA number, a date or a ZIP. */
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

/** The document's one date, when it prints exactly one. */
function onlyDate(ctx: DocContext): Found | null {
  const dates = ctx.lines.flatMap((line) =>
    findDates(line.words.map((w) => w.text)).map((d) => ({ d, words: line.words.slice(d.start, d.start + d.length) })),
  );
  if (new Set(dates.map(({ d }) => d.iso)).size !== 1) return null;
  const { d, words } = dates[0]!;
  return { value: d.iso, words, method: 'pattern', labelStrength: 0.6 };
}
