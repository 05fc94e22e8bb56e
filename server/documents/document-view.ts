import type { DocumentDetail, DocumentMatch, DocumentStatus, DocumentSummary, Extraction } from '../../common/api';
import type { DocType } from '../../common/extraction';
import { AppError } from '../../common/errors';
import { sql } from 'kysely';
import { dialect, first, type Unit } from '../db/units';

export interface DocumentRow {
  id: string;
  org_id: string;
  batch_id: string | null;
  upload_id: string | null;
  file_name: string;
  size_bytes: number;
  sha256: string;
  provider: string | null;
  object_key: string;
  status: DocumentStatus;
  failure_reason: string | null;
  pages: number | null;
  doc_type: DocType | null;
  doc_type_confidence: number | null;
  min_confidence: number | null;
  expiration_date: string | null;
  corrections_json: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  processing_started_at: number | null;
  processing_finished_at: number | null;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

/** The summary lists show; `match` is its provider match (server/providers/match-summary.ts), null if none. */
export function toSummary(r: DocumentRow, match: DocumentMatch | null): DocumentSummary {
  return {
    id: r.id,
    batchId: r.batch_id,
    fileName: r.file_name,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    status: r.status,
    failureReason: r.failure_reason,
    provider: r.provider,
    docType: r.doc_type,
    docTypeConfidence: r.doc_type_confidence,
    pages: r.pages,
    expirationDate: r.expiration_date,
    minConfidence: r.min_confidence,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    changeSeq: r.change_seq,
    match,
  };
}

/** The document of this organisation, or not_found (also for another organisation's id: 404, never 403). */
export function* getOwnDocument(orgId: string, id: string): Unit<DocumentRow> {
  const row = yield* first((q) =>
    q.selectFrom('documents').selectAll().where('id', '=', id).where('org_id', '=', orgId),
  );
  if (!row) throw new AppError('not_found', `No document ${id}.`);
  return row as unknown as DocumentRow;
}

/**
 * How many times the document's extraction was started, over all its jobs. On SQLite the jobs
 * table is the queue and counts them. On PostgreSQL it is only an outbox (job-outbox.ts) whose rows
 * go once handed over: the deliveries are pg-boss's (queue `extraction`, schema `pgboss`, as
 * database-backend.ts starts it), counted as pg-boss-queue.ts's fencing token counts them
 * (retry_count + 1 once fetched), in its job table and its archive of finished jobs (which pg-boss
 * empties after its retention: older attempts are then no longer counted).
 */
function* attemptsOf(documentId: string): Unit<number> {
  const row =
    (yield* dialect()) === 'postgres'
      ? yield* first((q) => ({
          compile: () =>
            sql<{
              attempts: number;
            }>`SELECT COALESCE(SUM(CASE WHEN started_on IS NULL THEN 0 ELSE retry_count + 1 END), 0) AS attempts
              FROM (SELECT started_on, retry_count FROM pgboss.job WHERE name = 'extraction' AND data->>'documentId' = ${documentId}
                    UNION ALL
                    SELECT started_on, retry_count FROM pgboss.archive WHERE name = 'extraction' AND data->>'documentId' = ${documentId}) AS deliveries`.compile(
              q,
            ),
        }))
      : yield* first((q) =>
          q
            .selectFrom('jobs')
            .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('attempts'), eb.lit(0)).as('attempts'))
            .where('document_id', '=', documentId),
        );
  // sum() over integers is numeric on PostgreSQL (read as a number by the pool's parser).
  return Number(row?.attempts ?? 0);
}

/** The detail view: the summary with the last extraction, the corrections and the attempts so far. */
export function* toDetail(r: DocumentRow, match: DocumentMatch | null): Unit<DocumentDetail> {
  const ext = yield* first((q) =>
    q
      .selectFrom('extractions')
      .select(['pipeline_version', 'result_json', 'created_at'])
      .where('document_id', '=', r.id)
      .orderBy('id', 'desc')
      .limit(1),
  );
  const attempts = yield* attemptsOf(r.id);
  let extraction: Extraction | null = null;
  if (ext)
    extraction = {
      ...(JSON.parse(ext.result_json) as Omit<Extraction, 'pipelineVersion' | 'createdAt'>),
      pipelineVersion: ext.pipeline_version,
      createdAt: ext.created_at,
    };
  return {
    ...toSummary(r, match),
    extraction,
    corrections: JSON.parse(r.corrections_json) as DocumentDetail['corrections'],
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
    attempts,
  };
}
