import { DOCUMENT_STATUSES, type BatchStats, type DocumentStatus } from '../../common/api';
import { AppError } from '../../common/errors';
import { nowIso, type Db } from '../db/open';

interface BatchRow {
  id: string;
  name: string;
  created_at: string;
}

export function getOwnBatch(db: Db, orgId: string, id: string): BatchRow {
  const row = db.prepare('SELECT id, name, created_at FROM batches WHERE id = ? AND org_id = ?').get(id, orgId) as
    BatchRow | undefined;
  if (!row) throw new AppError('not_found', `No batch ${id}.`);
  return row;
}

export function insertBatch(
  db: Db,
  b: { id: string; orgId: string; name: string; expectedFiles: number | null; createdBy: string },
): void {
  db.prepare(
    'INSERT INTO batches (id, org_id, name, expected_files, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(b.id, b.orgId, b.name, b.expectedFiles, b.createdBy, nowIso());
}

/** The organisation's latest batches, newest first. */
export function listBatches(db: Db, orgId: string, limit = 500): BatchRow[] {
  return db
    .prepare('SELECT id, name, created_at FROM batches WHERE org_id = ? ORDER BY created_at DESC LIMIT ?')
    .all(orgId, limit) as BatchRow[];
}

/** Removes the batch row (its documents and uploads first: delete-batch.ts). */
export function deleteBatchRow(db: Db, batchId: string): void {
  db.prepare('DELETE FROM batches WHERE id = ?').run(batchId);
}

/** Counts by status, success rate, mean processing time and mean confidence of one batch. */
export function batchStats(db: Db, batch: BatchRow): BatchStats {
  const counts = Object.fromEntries(DOCUMENT_STATUSES.map((s) => [s, 0])) as Record<DocumentStatus, number>;
  const rows = db
    .prepare('SELECT status, COUNT(*) AS n FROM documents WHERE batch_id = ? GROUP BY status')
    .all(batch.id) as Array<{ status: DocumentStatus; n: number }>;
  for (const r of rows) counts[r.status] = r.n;
  const total = rows.reduce((a, r) => a + r.n, 0);
  const succeeded = counts.review_pending + counts.approved + counts.rejected;
  const finished = succeeded + counts.failed;
  const means = db
    .prepare(
      `SELECT AVG(CASE WHEN status IN ('review_pending', 'approved', 'rejected') AND processing_finished_at IS NOT NULL THEN processing_finished_at - processing_started_at END) AS ms,
              AVG(mean_confidence) AS confidence
       FROM documents WHERE batch_id = ?`,
    )
    .get(batch.id) as { ms: number | null; confidence: number | null };
  return {
    id: batch.id,
    name: batch.name,
    createdAt: batch.created_at,
    total,
    counts,
    successRate: finished ? succeeded / finished : null,
    meanProcessingMs: means.ms,
    meanConfidence: means.confidence,
  };
}
