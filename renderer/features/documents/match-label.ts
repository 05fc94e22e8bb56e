/**
 * How a document's provider match reads (common/api.ts DocumentMatch): in the Documents table's
 * Provider column and on the review's match panel. Pure, so both read it the same way.
 */
import type { DocumentDetail, DocumentMatch } from '../../../common/api';

/** A match the coordinator must settle: weak, ambiguous or conflicting evidence. */
export function needsConfirmation(match: DocumentMatch | null | undefined): boolean {
  return !!match?.needsConfirmation;
}

/** The Provider column's text: the matched provider, marked when it waits for confirmation; null when unmatched. */
export function matchedProviderText(match: DocumentMatch | null | undefined): string | null {
  if (!match) return null;
  if (match.providerId && match.providerName) return match.providerName;
  return null;
}

/** A document's effective value of a field (the reviewer's correction wins), as text. */
function fieldText(doc: Pick<DocumentDetail, 'extraction' | 'corrections'> | null, name: string): string | null {
  if (!doc) return null;
  const v = name in doc.corrections ? doc.corrections[name]?.value : doc.extraction?.fields[name]?.value;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/**
 * The evidence the match rests on, with the identifier the document prints when `doc` is given:
 * "NPI 1234567890", "DEA number AS1234563", "OH license 35.123456", "name only".
 */
export function evidenceText(
  match: DocumentMatch,
  doc: Pick<DocumentDetail, 'extraction' | 'corrections'> | null = null,
): string {
  const state = fieldText(doc, 'state')?.toUpperCase();
  const withValue = (label: string, value: string | null | undefined) => (value ? `${label} ${value}` : label);
  switch (match.evidence) {
    case 'npi':
      return withValue('NPI', fieldText(doc, 'npi'));
    case 'dea':
      return withValue('DEA number', fieldText(doc, 'deaNumber'));
    case 'license':
      return withValue(state ? `${state} license` : 'license number', fieldText(doc, 'licenseNumber'));
    case 'csr':
      return withValue(state ? `${state} CSR` : 'CSR number', fieldText(doc, 'registrationNumber'));
    case 'name':
      return 'name only';
    case 'new':
      return 'a new provider from this document';
    case 'manual':
      return 'confirmed by a coordinator';
    default:
      return 'no evidence';
  }
}

/** The score as people read it: "score 0.97". */
export function scoreText(match: DocumentMatch): string {
  return `score ${Math.round(match.score * 100) / 100}`;
}
