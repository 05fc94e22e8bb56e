/** State controlled-substance registrations (CSR, CDS, CSL, BNDD, MCSR...). */
import { best, searchByLabel, type LabelRule } from '../field-search';
import { parseIdentifier } from '../parsers';
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
  return {
    registrantName: nameByLabels(ctx, NAME_LABELS) ?? nameAboveAddress(ctx) ?? commaNameLine(ctx),
    // The issuing body's own state first: a "State" field on a verification page is often the address's.
    state: headingState(ctx) ?? stateFromLabel(ctx) ?? issuingState(ctx),
    registrationNumber: best(searchByLabel(ctx.lines, NUMBER_LABELS, parseIdentifier)),
    schedules: schedules(ctx),
    issueDate: issueDate(ctx),
    expirationDate: expirationDate(ctx),
    npi: npi(ctx),
  };
}
