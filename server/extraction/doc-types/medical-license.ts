/** State medical / osteopathic board licenses: wall certificates, wallet cards, verification printouts. */
import { best, searchByLabel, type LabelRule } from '../field-search';
import { licenseTypeOf, parseIdentifier, parseLicenseType, parseStatus } from '../parsers';
import { LICENSE_NUMBER_STATEMENTS, LICENSE_TYPE_STATEMENTS, STATUS_STATEMENTS } from '../statement-rules';
import type { Passage } from '../statements';
import type { Found } from '../types';
import {
  CERTIFY_LABELS,
  commaNameLine,
  credentialDates,
  headingState,
  issuingState,
  nameAboveAddress,
  nameByLabels,
  npi,
  stateFromLabel,
  stated,
  type DocContext,
  type FieldMap,
} from './shared-fields';

const L = (re: RegExp, strength = 1): LabelRule => ({ re, strength });

const NAME_LABELS = [
  L(
    /\b(licensee name|name of licensee|licensee|physician name|practitioner name|name of physician|provider name|full name)\b[:\s]*/i,
  ),
  L(/\bname\b[:\s]*/i, 0.9),
  ...CERTIFY_LABELS,
];
const NUMBER_LABELS = [
  L(
    /\b(license (number|no\.?|#)|license:|lic\.? ?(number|no\.?|#)|licence (number|no\.?)|certificate (number|no\.?|#)|registration (number|no\.?|#))[:#\s]*/i,
  ),
  L(/\b(number|no\.)[:#\s]*/i, 0.7),
  // A table header cell whose "#" the scan lost, or whose "NUMBER" OCR misread by a letter ("NIMBER").
  L(/^licen[cs]e\s*$/i, 0.8),
  L(/^licen[cs]e\s+n[a-z]{3}er\s*$/i, 0.8),
  // Wallet cards abbreviate the heading to "LIC".
  L(/^lic\.?\s*$/i, 0.8),
];
const TYPE_LABELS = [
  L(/\b(license type|type of license|licen[cs]e class|profession|licensed as|credential type|type)\b[:\s]*/i),
  L(/\b((hereby )?(licensed|registered|authori[sz]ed) to practice( medicine)?( and surgery)?( as an?)?)\b[:\s]*/i, 0.9),
];
const STATUS_LABELS = [L(/\b(license status|current status|status)\b[:\s]*/i)];

/** "... to practice as a Physician and Surgeon", "Doctor of Osteopathic Medicine" anywhere on the page, a sentence's line breaks included. */
function licenseTypeFromText(texts: Array<Pick<Passage, 'text' | 'words'>>): Found | null {
  for (const line of texts) {
    // The issuer's name ("Board of Osteopathic Medicine and Surgery") says who licenses, not what
    // this licensee was licensed as.
    const t = line.text.replace(/\b(board|commission|council|department|division) of( (?!as\b|to\b)[a-z]+)+/gi, ' ');
    // A phrase that names the profession, or a line that is only the degree (wallet cards print "M.D.").
    // A profession line of a card: "PHYSICIAN (MD)", "MD - PHYSICIAN", "M.D."; or "THE PHYSICIAN (MD) NAMED BELOW".
    const card =
      /^\s*((physician|doctor)\s*[-–(]?\s*)?(M\.?D\.?|D\.?O\.?)(\s*[-–)]?\s*(physician|doctor))?\s*\)?\s*$/i.test(t);
    if (
      /osteopathic physician|doctor of osteopathic medicine|osteopathic medicine and surgery|physician and surgeon|medical doctor|doctor of medicine|physician assistant|nurse practitioner|(physician|doctor) \((M\.?D|D\.?O)\.?\)/i.test(
        t,
      ) ||
      card
    ) {
      const type = licenseTypeOf(t);
      if (type) return { value: type, method: 'pattern', labelStrength: 0.85, words: line.words };
    }
  }
  return null;
}

export function extractMedicalLicense(ctx: DocContext): FieldMap {
  const dates = credentialDates(ctx);
  return {
    licenseeName: nameByLabels(ctx, NAME_LABELS) ?? nameAboveAddress(ctx) ?? commaNameLine(ctx),
    // The issuing body's own state first: a "State" field on a verification page is often the address's.
    state: headingState(ctx) ?? stateFromLabel(ctx) ?? issuingState(ctx),
    licenseNumber:
      best(searchByLabel(ctx.lines, NUMBER_LABELS, parseIdentifier)) ??
      stated(ctx, LICENSE_NUMBER_STATEMENTS, parseIdentifier),
    licenseType:
      best(searchByLabel(ctx.lines, TYPE_LABELS, parseLicenseType)) ??
      stated(ctx, LICENSE_TYPE_STATEMENTS, parseLicenseType) ??
      licenseTypeFromText(ctx.lines) ??
      licenseTypeFromText(ctx.passages),
    issueDate: dates.issueDate,
    expirationDate: dates.expirationDate,
    // Under its label, the status runs on along its line: a scan may split "ACTIVE - RENEWAL
    // PENDING" in two where OCR lost the dash.
    status:
      best(searchByLabel(ctx.lines, STATUS_LABELS, parseStatus, { restOfLine: true })) ??
      stated(ctx, STATUS_STATEMENTS, parseStatus),
    npi: npi(ctx),
  };
}
