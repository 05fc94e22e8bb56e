/**
 * What `credmate import --wait` reports about the batch it uploaded, the same story the desktop's
 * batch summary tells: the server's own batch figures (documents, success rate, mean processing
 * time, mean confidence: GET /batches/:id), and from the documents' summaries in the local mirror
 * the time to the last result, the counts by document type and the documents that need attention.
 */
import type { BatchStats, DocumentSummary } from '../../../common/api';
import type { ApiClient } from '../api-client';

/** A field read with less confidence than this is worth a look (of values given 0.9, about nine in ten are right). */
export const ATTENTION_CONFIDENCE = 0.9;

export interface BatchResults {
  /** The server's batch id. */
  batchId: string;
  documents: number;
  /** Of the documents that left processing, the share extracted (not failed); null before any did. */
  successRate: number | null;
  /** First document received to its last result (extracted or failed), in seconds; null before any result. */
  secondsToLastResult: number | null;
  meanProcessingMs: number | null;
  meanConfidence: number | null;
  /** Documents by the type extraction found; failed or unread ones under their status. */
  byDocType: Record<string, number>;
  needsAttention: { fileName: string; status: string; reason: string }[];
}

const IN_FLIGHT = new Set(['uploaded', 'processing']);

/** Why a document needs a look, or null when it does not (`today` as YYYY-MM-DD, for expiry). */
export function attentionReason(d: DocumentSummary, today: string): string | null {
  if (d.status === 'failed') return d.failureReason ?? 'Extraction failed (no reason recorded).';
  if (IN_FLIGHT.has(d.status)) return 'Still processing when the wait ended.';
  const reasons: string[] = [];
  if (d.docType === null || d.docType === 'unknown') reasons.push('document type not recognised');
  if (d.minConfidence !== null && d.minConfidence < ATTENTION_CONFIDENCE)
    reasons.push(`a field read with ${Math.round(d.minConfidence * 100)}% confidence`);
  if (d.expirationDate && d.expirationDate.slice(0, 10) < today)
    reasons.push(`expired ${d.expirationDate.slice(0, 10)}`);
  if (reasons.length === 0) return null;
  const text = reasons.join('; ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/** Combines the server's batch figures with the batch's documents as the mirror holds them. */
export function batchResults(stats: BatchStats, docs: readonly DocumentSummary[], today: string): BatchResults {
  const byDocType: Record<string, number> = {};
  let firstAt: string | null = null;
  let lastResultAt: string | null = null;
  for (const d of docs) {
    const key = d.status === 'failed' || IN_FLIGHT.has(d.status) ? d.status : (d.docType ?? 'unknown');
    byDocType[key] = (byDocType[key] ?? 0) + 1;
    if (firstAt === null || d.createdAt < firstAt) firstAt = d.createdAt;
    // Right after an import no one has reviewed anything: a finished document's last change is its result.
    if (!IN_FLIGHT.has(d.status) && (lastResultAt === null || d.updatedAt > lastResultAt)) lastResultAt = d.updatedAt;
  }
  const needsAttention = docs
    .map((d) => ({ fileName: d.fileName, status: d.status, reason: attentionReason(d, today) }))
    .filter((a): a is { fileName: string; status: DocumentSummary['status']; reason: string } => a.reason !== null)
    .sort((a, b) => a.fileName.localeCompare(b.fileName));
  return {
    batchId: stats.id,
    documents: stats.total,
    successRate: stats.successRate,
    secondsToLastResult:
      firstAt && lastResultAt ? Math.max(0, Date.parse(lastResultAt) - Date.parse(firstAt)) / 1000 : null,
    meanProcessingMs: stats.meanProcessingMs,
    meanConfidence: stats.meanConfidence,
    byDocType: Object.fromEntries(Object.entries(byDocType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    needsAttention,
  };
}

/** Asks the server for the batch's figures and reads its documents from the mirror. */
export async function fetchBatchResults(
  api: ApiClient,
  serverBatchId: string,
  docs: readonly DocumentSummary[],
  signal?: AbortSignal,
): Promise<BatchResults> {
  const stats = await api.batchStats(serverBatchId, signal ?? AbortSignal.timeout(30_000));
  return batchResults(
    stats,
    docs.filter((d) => d.batchId === serverBatchId),
    new Date().toISOString().slice(0, 10),
  );
}
