/**
 * A first guess at a file's document type from its name alone, for the import list. The server's
 * classifier decides for real after upload; PDFs are never parsed in the main process.
 */
import type { DocType } from '../../common/extraction';

const RULES: ReadonlyArray<[RegExp, DocType]> = [
  [/transcript/i, 'cme_transcript'],
  [/\bcme\b|ce[-_ ]?cert|continuing|credit/i, 'cme_certificate'],
  [/\bdea\b|dea[-_ ]?(reg|cert|\d)/i, 'dea_registration'],
  [/\bcsr\b|controlled[-_ ]?substance|\bcds\b/i, 'csr_certificate'],
  [/licen[sc]e|\bmed[-_ ]?lic|board/i, 'medical_license'],
];

export function guessDocType(relPath: string): DocType | null {
  const name = relPath.replace(/\.pdf$/i, '').replace(/[_.-]+/g, ' ');
  for (const [pattern, type] of RULES) if (pattern.test(name)) return type;
  return null;
}
