/** State controlled-substance registrations (CSR, CDS, CSL, BNDD, MCSR...). */
import { best, searchByLabel, type LabelRule } from '../field-search';
import { parseIdentifier, parseSchedules } from '../parsers';
import { CERTIFY_LABELS, expirationDate, issueDate, issuingState, nameByLabels, npi, stateFromLabel, type DocContext, type FieldMap } from './shared-fields';

const L = (re: RegExp, strength = 1): LabelRule => ({ re, strength });

const NAME_LABELS = [
  L(/\b(registrant name|name of registrant|registrant|licensee name|licensee|practitioner name|practitioner|name)\b[:\s]*/i, 0.95),
  ...CERTIFY_LABELS,
];
const NUMBER_LABELS = [
  L(/\b((CSR|CDS|CSL|BNDD|MCSR|CSA|controlled substance) (registration |license |permit )?(number|no\.?|#)|registration (number|no\.?|#)|license (number|no\.?|#)|permit (number|no\.?|#)|certificate (number|no\.?|#)|reg\.? (no\.?|#))[:#\s]*/i),
];
const SCHEDULE_LABELS = [L(/\b(drug schedules|schedules|schedule\(s\)|schedule|authorized schedules)\b[:\s]*/i)];

export function extractCsrCertificate(ctx: DocContext): FieldMap {
  return {
    registrantName: nameByLabels(ctx, NAME_LABELS),
    state: stateFromLabel(ctx) ?? issuingState(ctx),
    registrationNumber: best(searchByLabel(ctx.lines, NUMBER_LABELS, parseIdentifier)),
    schedules: best(searchByLabel(ctx.lines, SCHEDULE_LABELS, parseSchedules)),
    issueDate: issueDate(ctx),
    expirationDate: expirationDate(ctx),
    npi: npi(ctx),
  };
}
