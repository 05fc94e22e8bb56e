/**
 * CSV of a batch's extracted fields, corrections winning over the extraction: one row per
 * document, one column per field name seen in the batch. Cells that a spreadsheet would run as a
 * formula are defused (CSV injection).
 */
import type { DocumentDetail } from '../../common/api';
import { FIELDS_BY_DOC_TYPE } from '../../common/extraction';

const FIXED = ['documentId', 'fileName', 'status', 'docType', 'provider', 'reviewedBy', 'reviewedAt'] as const;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join('; ') : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Field names in a stable order: the doc types' own order first, then any others alphabetically. */
function fieldColumns(docs: readonly DocumentDetail[]): string[] {
  const known = [...new Set(Object.values(FIELDS_BY_DOC_TYPE).flat())];
  const seen = new Set<string>();
  for (const d of docs) {
    for (const name of Object.keys(d.extraction?.fields ?? {})) seen.add(name);
    for (const name of Object.keys(d.corrections)) seen.add(name);
  }
  return [...known.filter((n) => seen.has(n)), ...[...seen].filter((n) => !known.includes(n)).sort()];
}

export function batchCsv(docs: readonly DocumentDetail[]): string {
  const fields = fieldColumns(docs);
  const header = [...FIXED, ...fields.flatMap((f) => [f, `${f}_confidence`])];
  const rows = docs.map((d) => {
    const fixed = [d.id, d.fileName, d.status, d.docType, d.provider, d.reviewedBy, d.reviewedAt];
    const values = fields.flatMap((f) => {
      const extracted = d.extraction?.fields[f] ?? null;
      const corrected = d.corrections[f];
      return [corrected ? corrected.value : (extracted?.value ?? null), corrected ? 1 : (extracted?.confidence ?? null)];
    });
    return [...fixed, ...values].map(cell).join(',');
  });
  // The header too: field names come from stored corrections, which older versions took as sent.
  return `${[header.map(cell).join(','), ...rows].join('\r\n')}\r\n`;
}
