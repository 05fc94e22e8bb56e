import { sql } from 'kysely';
import { DOCUMENT_STATUSES, type BatchStats, type DocumentStatus } from '../../common/api';
import { AppError } from '../../common/errors';
import { queryLayer, type AnyDb } from '../db/kysely';
import { nowIso } from '../db/open';
import { affected, type Unit } from '../db/units';

interface BatchRow {
  id: string;
  name: string;
  created_at: string;
}

/** The organisation's batch, or not_found (another organisation's batch too); on either database. */
export async function getOwnBatch(db: AnyDb, orgId: string, id: string): Promise<BatchRow> {
  const row = await queryLayer(db)
    .selectFrom('batches')
    .select(['id', 'name', 'created_at'])
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No batch ${id}.`);
  return row;
}

/** A new batch; the route writes it with its `batch.created` audit event in one unit. */
export function* insertBatch(b: {
  id: string;
  orgId: string;
  name: string;
  expectedFiles: number | null;
  createdBy: string;
}): Unit<void> {
  yield* affected((q) =>
    q.insertInto('batches').values({
      id: b.id,
      org_id: b.orgId,
      name: b.name,
      expected_files: b.expectedFiles,
      created_by: b.createdBy,
      created_at: nowIso(),
    }),
  );
}

/** The organisation's latest batches, newest first; on either database. */
export async function listBatches(db: AnyDb, orgId: string, limit = 500): Promise<BatchRow[]> {
  return queryLayer(db)
    .selectFrom('batches')
    .select(['id', 'name', 'created_at'])
    .where('org_id', '=', orgId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Removes the batch row (its documents and uploads first: delete-batch.ts, in the same unit with
 * the removal of the documents, the uploads and the audit event).
 */
export function* deleteBatchRow(batchId: string): Unit<void> {
  yield* affected((q) => q.deleteFrom('batches').where('id', '=', batchId));
}

/**
 * Counts by status, success rate, mean processing time and mean confidence of each batch, in the
 * given order; on either database. Two grouped reads per 500 batches, not two per batch: the list
 * answers up to 500 batches, and on PostgreSQL each read is a round trip.
 */
async function statsOf(anyDb: AnyDb, batches: readonly BatchRow[]): Promise<BatchStats[]> {
  const db = queryLayer(anyDb);
  const counts = new Map<string, Array<{ status: string; n: number }>>();
  const means = new Map<string, { ms: number | null; confidence: number | null }>();
  // Chunks below SQLite's bound-parameter limit.
  for (let i = 0; i < batches.length; i += 500) {
    const ids = batches.slice(i, i + 500).map((b) => b.id);
    const rows = await db
      .selectFrom('documents')
      .select((eb) => ['batch_id', 'status', eb.fn.countAll<number>().as('n')])
      .where('batch_id', 'in', ids)
      .groupBy(['batch_id', 'status'])
      .execute();
    for (const r of rows) counts.set(r.batch_id!, [...(counts.get(r.batch_id!) ?? []), r]);
    // avg() over bigint answers numeric on PostgreSQL, which postgres-pool.ts reads as a number.
    const avgs = await db
      .selectFrom('documents')
      .select([
        'batch_id',
        sql<
          number | null
        >`AVG(CASE WHEN status IN ('review_pending', 'approved', 'rejected') AND processing_finished_at IS NOT NULL THEN processing_finished_at - processing_started_at END)`.as(
          'ms',
        ),
        sql<number | null>`AVG(mean_confidence)`.as('confidence'),
      ])
      .where('batch_id', 'in', ids)
      .groupBy('batch_id')
      .execute();
    for (const a of avgs) means.set(a.batch_id!, { ms: a.ms, confidence: a.confidence });
  }
  return batches.map((batch) => toStats(batch, counts.get(batch.id) ?? [], means.get(batch.id)));
}

function toStats(
  batch: BatchRow,
  rows: ReadonlyArray<{ status: string; n: number }>,
  means: { ms: number | null; confidence: number | null } | undefined,
): BatchStats {
  const counts = Object.fromEntries(DOCUMENT_STATUSES.map((s) => [s, 0])) as Record<DocumentStatus, number>;
  for (const r of rows) counts[r.status as DocumentStatus] = r.n;
  const total = rows.reduce((a, r) => a + r.n, 0);
  const succeeded = counts.review_pending + counts.approved + counts.rejected;
  const finished = succeeded + counts.failed;
  return {
    id: batch.id,
    name: batch.name,
    createdAt: batch.created_at,
    total,
    counts,
    successRate: finished ? succeeded / finished : null,
    meanProcessingMs: means?.ms ?? null,
    meanConfidence: means?.confidence ?? null,
  };
}

/** Counts by status, success rate, mean processing time and mean confidence of one batch; on either database. */
export async function batchStats(db: AnyDb, batch: BatchRow): Promise<BatchStats> {
  const [stats] = await statsOf(db, [batch]);
  return stats!;
}

/** The organisation's latest batches with their figures, newest first; on either database. */
export async function listBatchStats(db: AnyDb, orgId: string, limit = 500): Promise<BatchStats[]> {
  return statsOf(db, await listBatches(db, orgId, limit));
}
