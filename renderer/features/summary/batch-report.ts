/**
 * What a coordinator reports about a batch: how long it took from the first document received to
 * the last extraction result, how each document type fared, and which documents failed and why.
 */
import type { DocumentDetail, DocumentSummary } from '../../../common/api';
import type { DocType } from '../../../common/extraction';
import { docTypeLabel } from '../../format';

export interface DocTypeRow {
  docType: DocType | null;
  label: string;
  total: number;
  /** Extraction finished: waiting for review, approved or rejected. */
  extracted: number;
  approved: number;
  failed: number;
  /** Not read yet (uploaded or processing). */
  pending: number;
}

export interface BatchReport {
  byDocType: DocTypeRow[];
  failures: Array<{ fileName: string; reason: string }>;
  firstAt: string | null;
  lastResultAt: string | null;
  /** First document received to last result; null before any result. */
  elapsedSeconds: number | null;
  stillProcessing: number;
}

/**
 * `details` may be a sample (the newest documents): an extraction finishing updates its document,
 * so the newest ones hold the last result.
 */
export function batchReport(docs: readonly DocumentSummary[], details: readonly DocumentDetail[]): BatchReport {
  const rows = new Map<DocType | null, DocTypeRow>();
  let firstAt: string | null = null;
  let lastResultAt: string | null = null;
  const later = (a: string | null, b: string) => (a === null || b > a ? b : a);
  for (const d of docs) {
    const row = rows.get(d.docType) ?? {
      docType: d.docType,
      label: d.docType ? docTypeLabel(d.docType) : 'Not read yet',
      total: 0,
      extracted: 0,
      approved: 0,
      failed: 0,
      pending: 0,
    };
    row.total += 1;
    if (d.status === 'failed') row.failed += 1;
    else if (d.status === 'uploaded' || d.status === 'processing') row.pending += 1;
    else row.extracted += 1;
    if (d.status === 'approved') row.approved += 1;
    rows.set(d.docType, row);
    if (firstAt === null || d.createdAt < firstAt) firstAt = d.createdAt;
    // A failure is a result too; its last change is when it failed (failed documents are not reviewed).
    if (d.status === 'failed') lastResultAt = later(lastResultAt, d.updatedAt);
  }
  for (const d of details) if (d.extraction) lastResultAt = later(lastResultAt, d.extraction.createdAt);
  const failures = docs
    .filter((d) => d.status === 'failed')
    .map((d) => ({ fileName: d.fileName, reason: d.failureReason ?? 'No reason recorded.' }));
  const elapsedSeconds =
    firstAt && lastResultAt ? Math.max(0, (Date.parse(lastResultAt) - Date.parse(firstAt)) / 1000) : null;
  const byDocType = [...rows.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  const stillProcessing = byDocType.reduce((n, r) => n + r.pending, 0);
  return {
    byDocType,
    failures: failures.sort((a, b) => a.fileName.localeCompare(b.fileName)),
    firstAt,
    lastResultAt,
    elapsedSeconds,
    stillProcessing,
  };
}

function cell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  // A spreadsheet would run these as formulas (file names and reasons come from outside).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV: the timing, one line per document type, then one per failure. */
export function batchReportCsv(batchName: string, report: BatchReport): string {
  const lines: Array<Array<string | number | null>> = [
    ['batch', batchName],
    ['firstDocumentAt', report.firstAt],
    ['lastResultAt', report.lastResultAt],
    ['totalSeconds', report.elapsedSeconds === null ? null : Math.round(report.elapsedSeconds)],
    ['stillProcessing', report.stillProcessing],
    [],
    ['docType', 'documents', 'extracted', 'approved', 'failed', 'notReadYet'],
    ...report.byDocType.map((r) => [r.docType ?? '', r.total, r.extracted, r.approved, r.failed, r.pending]),
    [],
    ['failedFile', 'reason'],
    ...report.failures.map((f) => [f.fileName, f.reason]),
  ];
  return `${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`;
}
