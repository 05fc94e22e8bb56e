/**
 * CSV of a batch's extracted fields, corrections winning over the extraction: one row per
 * document, one column per field of the spec for every document type in the batch (so a column
 * does not come and go with what extraction happened to find), every header unique. Cells that a
 * spreadsheet would run as a formula are defused (CSV injection).
 */
import type { DocumentDetail } from '../../common/api';
import { FIELDS_BY_DOC_TYPE } from '../../common/extraction';

/**
 * The document's own columns. Named apart from field names: a license has a `status` field and a
 * CME certificate a `provider` field, which are not the review status or the provider the batch
 * was assigned to.
 */
const FIXED = [
  'documentId',
  'fileName',
  'reviewStatus',
  'docType',
  'assignedProvider',
  'reviewedBy',
  'reviewedAt',
] as const;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text =
    typeof value === 'string'
      ? value
      : typeof value === 'number'
        ? String(value)
        : Array.isArray(value) && value.every((v) => typeof v === 'string')
          ? value.join('; ')
          : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Field names in a stable order: every field of the batch's doc types in the spec's order, then
 * any other name a document holds (from older versions) alphabetically.
 */
function fieldColumns(docs: readonly DocumentDetail[]): string[] {
  const known = [...new Set(Object.values(FIELDS_BY_DOC_TYPE).flat())];
  const wanted = new Set<string>();
  for (const d of docs) {
    for (const name of FIELDS_BY_DOC_TYPE[d.extraction?.docType ?? d.docType ?? 'unknown']) wanted.add(name);
    for (const name of Object.keys(d.extraction?.fields ?? {})) wanted.add(name);
    for (const name of Object.keys(d.corrections)) wanted.add(name);
  }
  return [...known.filter((n) => wanted.has(n)), ...[...wanted].filter((n) => !known.includes(n)).sort()];
}

/** Headers made unique: a later repeat gets `_2`, `_3`… (a stored field named like a fixed column). */
function uniqueHeaders(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 2; used.has(unique); n++) unique = `${name}_${n}`;
    used.add(unique);
    return unique;
  });
}

export function batchCsv(docs: readonly DocumentDetail[]): string {
  const fields = fieldColumns(docs);
  const header = uniqueHeaders([...FIXED, ...fields.flatMap((f) => [f, `${f}_confidence`])]);
  const rows = docs.map((d) => {
    const fixed = [d.id, d.fileName, d.status, d.docType, d.provider, d.reviewedBy, d.reviewedAt];
    const values = fields.flatMap((f) => {
      const extracted = d.extraction?.fields[f] ?? null;
      const corrected = d.corrections[f];
      return [
        corrected ? corrected.value : (extracted?.value ?? null),
        corrected ? 1 : (extracted?.confidence ?? null),
      ];
    });
    return [...fixed, ...values].map(cell).join(',');
  });
  // The header too: field names come from stored corrections, which older versions took as sent.
  return `${[header.map(cell).join(','), ...rows].join('\r\n')}\r\n`;
}
