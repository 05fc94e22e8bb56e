/**
 * `credmate import --wait`'s closing table: the batch's figures, its documents by type, and the
 * documents that need attention with the reason. Plain text columns (no colour, no box drawing),
 * so it reads the same in a terminal, a log file or an e-mail.
 */
import type { BatchResults } from '../core/import-run/batch-results';

const percent = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const seconds = (s: number | null): string =>
  s === null ? '—' : s < 60 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function formatBatchResults(r: BatchResults): string[] {
  const lines = [
    'Batch results:',
    ...table(
      ['', ''],
      [
        ['Documents', String(r.documents)],
        ['Processing success rate', percent(r.successRate)],
        ['Time to last result', seconds(r.secondsToLastResult)],
        ['Average processing time', seconds(r.meanProcessingMs === null ? null : r.meanProcessingMs / 1000)],
        ['Average confidence', percent(r.meanConfidence)],
      ],
    ).slice(2),
    '',
    ...table(
      ['Document type', 'Documents'],
      Object.entries(r.byDocType).map(([type, n]) => [type, String(n)]),
    ),
  ];
  if (r.needsAttention.length === 0) return [...lines, '', 'No document needs attention.'];
  return [
    ...lines,
    '',
    `Needs attention (${r.needsAttention.length}):`,
    ...table(
      ['File', 'Status', 'Reason'],
      r.needsAttention.map((a) => [a.fileName, a.status, a.reason]),
    ),
  ];
}
