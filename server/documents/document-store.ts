/**
 * The one writer of `documents`, their `extractions` and `document_tombstones`, and of the change
 * sequence the desktop's change feed follows. Every change to a document takes the next sequence
 * number here, so no caller can forget it (the mirror would then never see the change).
 * Each function is a unit (server/db/units.ts): run it inside the caller's write (`deps.units.write`)
 * or compose it into the caller's unit with `yield*`; none runs a transaction of its own.
 */
import type { DocumentStatus } from '../../common/api';
import { AppError } from '../../common/errors';
import { nowIso } from '../db/open';
import type { ExpressionBuilder, UpdateObject } from 'kysely';
import type { DatabaseSchema } from '../db/schema';
import { affected, first, prepared, rows, type Unit } from '../db/units';
import type { DocumentRow } from './document-view';

/**
 * Next value of the server-wide change sequence. A counter row, not MAX(change_seq)+1: deleting
 * the newest document must not let the next change reuse a cursor a client has already seen.
 *
 * Why the feed stays gapless and in commit order across processes on PostgreSQL: the UPDATE takes
 * the counter row's lock and holds it until the transaction commits or rolls back. A second writer's
 * UPDATE waits on that lock and, once it is released, increments the committed value (READ
 * COMMITTED re-reads the row). So numbers are handed out in commit order, a rolled-back writer's
 * number is given again (no gap), and a reader that sees number N committed has seen every number
 * below N committed too: a client's cursor never skips a change that commits later with a smaller
 * number. (A sequence object would hand out numbers outside the transaction: gaps and
 * out-of-order commits.) The price is one writer of documents at a time, which SQLite's write lock
 * imposes anyway. Take it as late as the write allows: the lock is held from here to commit.
 */
export function* nextChangeSeq(): Unit<number> {
  const row = yield* first(takeChangeSeq.with({}));
  if (!row) throw new Error("The counters table has no 'change_seq' row: the database was not migrated.");
  return row.value;
}

// Every uploaded file runs these (complete, register): prepared, see units.ts's Prepared.
const takeChangeSeq = prepared((q) =>
  q
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'change_seq')
    .returning('value'),
);
const newDocument = prepared((q, p: NewDocument & { relPath: string | null; now: string; seq: number }) =>
  q.insertInto('documents').values({
    id: p.id,
    org_id: p.orgId,
    batch_id: p.batchId,
    upload_id: p.uploadId,
    file_name: p.fileName,
    size_bytes: p.sizeBytes,
    sha256: p.sha256,
    sha256_verified_at: p.sha256VerifiedAt,
    provider: p.provider,
    rel_path: p.relPath,
    object_key: p.objectKey,
    status: 'uploaded',
    created_at: p.now,
    updated_at: p.now,
    change_seq: p.seq,
  }),
);
const verifiedByHash = prepared((q, p: { orgId: string; sha256: string }) =>
  q
    .selectFrom('documents')
    .select(['id', 'status'])
    .where('org_id', '=', p.orgId)
    .where('sha256', '=', p.sha256)
    .where('sha256_verified_at', 'is not', null)
    .where('status', '<>', 'failed')
    .orderBy('sha256_verified_at')
    .limit(1),
);
const statusOf = prepared((q, p: { documentId: string }) =>
  q.selectFrom('documents').select(['id', 'status']).where('id', '=', p.documentId),
);

/**
 * Gives back the number this transaction just took, for a write that found nothing to change: it
 * still holds the counter row's lock, so nobody has taken a number since, and the feed keeps no
 * number that no change carries.
 */
function* giveBackChangeSeq(seq: number): Unit<void> {
  yield* affected((q) =>
    q
      .updateTable('counters')
      .set((eb) => ({ value: eb('value', '-', 1) }))
      .where('name', '=', 'change_seq')
      .where('value', '=', seq),
  );
}

type DocumentChanges =
  | UpdateObject<DatabaseSchema, 'documents'>
  | ((eb: ExpressionBuilder<DatabaseSchema, 'documents'>) => UpdateObject<DatabaseSchema, 'documents'>);

/**
 * Writes `changes` to a document with the next sequence number; the number, or null (and the
 * number given back) when there is no such document, or, with `ifSeq`, when it has changed since
 * the caller read it at that number. The counter is always taken before the document's row, so
 * writers lock the two in one order.
 */
function* stampDocument(documentId: string, changes: DocumentChanges, ifSeq?: number): Unit<number | null> {
  const seq = yield* nextChangeSeq();
  const n = yield* affected((q) =>
    q
      .updateTable('documents')
      .set(changes)
      .set({ change_seq: seq })
      .where('id', '=', documentId)
      .$if(ifSeq !== undefined, (qb) => qb.where('change_seq', '=', ifSeq!)),
  );
  if (n > 0) return seq;
  yield* giveBackChangeSeq(seq);
  return null;
}

/**
 * Puts a document on the change feed again for something shown with it that is not its own
 * (its provider match): the next sequence number only, updated_at stays. Returns the new
 * sequence, or null when the document is gone.
 */
export function* announceDocument(documentId: string): Unit<number | null> {
  return yield* stampDocument(documentId, {});
}

export interface NewDocument {
  id: string;
  orgId: string;
  batchId: string | null;
  uploadId: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  /** When the stored bytes were checked against sha256 (complete checks them before this insert). */
  sha256VerifiedAt: string;
  provider: string | null;
  /** The upload's path below the imported folder (a provider hint; migration 006), or null. */
  relPath?: string | null;
  objectKey: string;
}

/** A completed upload's document, status uploaded. */
export function* insertDocument(d: NewDocument): Unit<void> {
  const seq = yield* nextChangeSeq();
  yield* affected(newDocument.with({ ...d, relPath: d.relPath ?? null, now: nowIso(), seq }));
}

export interface DocumentFile {
  uploadId: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  sha256VerifiedAt: string;
  objectKey: string;
}

export interface ReplacedFile {
  upload_id: string | null;
  object_key: string;
  sha256: string;
}

/**
 * A failed document's new file (replace-upload.ts): everything read from the old one is cleared
 * (its extractions too) and the document is uploaded again. Returns the old file's upload, key
 * and hash; conflict unless the document is still failed, not_found once it is deleted.
 */
export function* replaceDocumentFile(orgId: string, documentId: string, f: DocumentFile): Unit<ReplacedFile> {
  const old = yield* first((q) =>
    q
      .selectFrom('documents')
      .select(['upload_id', 'object_key', 'sha256', 'status'])
      .where('id', '=', documentId)
      .where('org_id', '=', orgId),
  );
  if (!old) throw new AppError('not_found', `No document ${documentId}; it was deleted while its new file was sent.`);
  if (old.status !== 'failed')
    throw new AppError('conflict', `The document is ${old.status} now; only a failed document's file can be replaced.`);
  yield* affected((q) => q.deleteFrom('extractions').where('document_id', '=', documentId));
  yield* affected((q) =>
    q
      .updateTable('documents')
      .set({
        upload_id: f.uploadId,
        file_name: f.fileName,
        size_bytes: f.sizeBytes,
        sha256: f.sha256,
        sha256_verified_at: f.sha256VerifiedAt,
        object_key: f.objectKey,
        failure_reason: null,
        pages: null,
        doc_type: null,
        doc_type_confidence: null,
        min_confidence: null,
        mean_confidence: null,
        expiration_date: null,
        corrections_json: '{}',
        reviewed_by: null,
        reviewed_at: null,
        processing_started_at: null,
        processing_finished_at: null,
      })
      .where('id', '=', documentId),
  );
  yield* setDocumentStatus(documentId, 'uploaded');
  return { upload_id: old.upload_id, object_key: old.object_key, sha256: old.sha256 };
}

export interface StatusFields {
  failureReason?: string | null;
  processingStartedAt?: number;
  processingFinishedAt?: number;
}

/** Moves a document to `status`; a field left out keeps its value (the first start time is kept). */
export function* setDocumentStatus(documentId: string, status: DocumentStatus, f: StatusFields = {}): Unit<void> {
  yield* stampDocument(documentId, (eb) => ({
    status,
    updated_at: nowIso(),
    ...(f.failureReason != null && { failure_reason: f.failureReason }),
    ...(f.processingStartedAt !== undefined && {
      processing_started_at: eb.fn.coalesce('processing_started_at', eb.val(f.processingStartedAt)),
    }),
    ...(f.processingFinishedAt !== undefined && { processing_finished_at: f.processingFinishedAt }),
  }));
}

/** Back to uploaded for another extraction: the last run's failure and times are cleared. */
export function* resetForExtraction(documentId: string): Unit<void> {
  yield* affected((q) =>
    q
      .updateTable('documents')
      .set({ failure_reason: null, processing_started_at: null, processing_finished_at: null })
      .where('id', '=', documentId),
  );
  yield* setDocumentStatus(documentId, 'uploaded');
}

/**
 * A claimed job's document goes to processing (its first start time kept). What the worker fetches
 * and checks; null once the document is deleted (its job has nothing to extract). Both queues
 * (jobs/queue.ts, jobs/pg-boss-queue.ts) run this in their claim's transaction.
 */
export function* startExtraction(documentId: string, now: number): Unit<DocumentObject | null> {
  const doc = yield* documentObject(documentId);
  if (!doc) return null;
  yield* setDocumentStatus(documentId, 'processing', { processingStartedAt: now });
  return doc;
}

/** A dead-lettered job's document fails with the job's last error (both queues, in their transaction). */
export function* failExtraction(documentId: string, reason: string, now: number): Unit<void> {
  yield* setDocumentStatus(documentId, 'failed', { failureReason: reason, processingFinishedAt: now });
}

export interface ExtractionRecord {
  /** The job's number: the jobs row's id (SQLite queue), or the number pg-boss's job carries (pg-boss-queue.ts). */
  jobId: number;
  fencingToken: number;
  pipelineVersion: string;
  resultJson: string;
  pages: number;
  docType: string;
  docTypeConfidence: number;
  minConfidence: number | null;
  meanConfidence: number | null;
  expirationDate: string | null;
}

/**
 * Stores an extraction's result and sends the document to review: the one result write of both
 * queues, each running it in the transaction whose fence (the lease's token) admits one delivery.
 */
export function* recordExtraction(documentId: string, r: ExtractionRecord, now: number): Unit<void> {
  const at = new Date(now).toISOString();
  yield* affected((q) =>
    q.insertInto('extractions').values({
      document_id: documentId,
      job_id: r.jobId,
      fencing_token: r.fencingToken,
      pipeline_version: r.pipelineVersion,
      result_json: r.resultJson,
      created_at: at,
    }),
  );
  // The worker compared the bytes with the declared size and SHA-256 before extracting them
  // (run-job.ts): that verifies documents completed before complete itself checked.
  yield* affected((q) =>
    q
      .updateTable('documents')
      .set((eb) => ({
        pages: r.pages,
        doc_type: r.docType,
        doc_type_confidence: r.docTypeConfidence,
        min_confidence: r.minConfidence,
        mean_confidence: r.meanConfidence,
        expiration_date: r.expirationDate,
        failure_reason: null,
        processing_finished_at: null,
        sha256_verified_at: eb.fn.coalesce('sha256_verified_at', eb.val(at)),
      }))
      .where('id', '=', documentId),
  );
  yield* setDocumentStatus(documentId, 'review_pending', { processingFinishedAt: now });
}

export interface ReviewWrite {
  correctionsJson: string;
  status: DocumentStatus;
  failureReason: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  expirationDate: string | null;
}

/**
 * A reviewer's corrections and decision (or, reopening, their removal: reviewedBy null), decided on
 * the document as read at `readSeq`: conflict when it changed since (on PostgreSQL a worker or
 * another reviewer may commit in between; SQLite's write lock already rules that out).
 */
export function* writeReview(documentId: string, readSeq: number, w: ReviewWrite): Unit<void> {
  const seq = yield* stampDocument(
    documentId,
    {
      corrections_json: w.correctionsJson,
      status: w.status,
      failure_reason: w.failureReason,
      reviewed_by: w.reviewedBy,
      reviewed_at: w.reviewedAt,
      expiration_date: w.expirationDate,
      updated_at: nowIso(),
    },
    readSeq,
  );
  if (seq === null)
    throw new AppError(
      'conflict',
      'The document changed (or was deleted) while this was being saved; reload it and try again.',
    );
}

/**
 * Deletes documents (their extractions and jobs go with them: ON DELETE CASCADE), leaving a
 * tombstone each so the change feed tells mirrors to drop them.
 */
export function* removeDocuments(orgId: string, documentIds: readonly string[]): Unit<void> {
  for (const id of documentIds) {
    const seq = yield* nextChangeSeq();
    const gone = yield* affected((q) => q.deleteFrom('documents').where('id', '=', id).where('org_id', '=', orgId));
    // Nothing to delete (already gone, or another organisation's): no tombstone, the number given back.
    if (gone === 0) {
      yield* giveBackChangeSeq(seq);
      continue;
    }
    const deletedAt = nowIso();
    yield* affected((q) =>
      q
        .insertInto('document_tombstones')
        .values({ document_id: id, org_id: orgId, change_seq: seq, deleted_at: deletedAt })
        .onConflict((oc) =>
          oc.column('document_id').doUpdateSet({ org_id: orgId, change_seq: seq, deleted_at: deletedAt }),
        ),
    );
  }
}

/** Ids and keys of a batch's documents. */
export function* documentsOfBatch(batchId: string): Unit<Array<{ id: string; object_key: string }>> {
  return yield* rows((q) => q.selectFrom('documents').select(['id', 'object_key']).where('batch_id', '=', batchId));
}

/** The organisation's usable document with these bytes (verified, never failed), or null. */
export function* findVerifiedByHash(
  orgId: string,
  sha256: string,
): Unit<{ id: string; status: DocumentStatus } | null> {
  const row = yield* first(verifiedByHash.with({ orgId, sha256 }));
  return row ? { id: row.id, status: row.status as DocumentStatus } : null;
}

/** A document's id and status by id (no organisation check: for callers that hold its upload). */
export function* documentStatus(documentId: string): Unit<{ id: string; status: DocumentStatus } | null> {
  const row = yield* first(statusOf.with({ documentId }));
  return row ? { id: row.id, status: row.status as DocumentStatus } : null;
}

export interface DocumentObject {
  object_key: string;
  size_bytes: number;
  sha256: string;
}

/** What a worker needs to fetch and check a document's bytes; null once the document is deleted. */
export function* documentObject(documentId: string): Unit<DocumentObject | null> {
  const row = yield* first((q) =>
    q.selectFrom('documents').select(['object_key', 'size_bytes', 'sha256']).where('id', '=', documentId),
  );
  return row ?? null;
}

export interface ChangePage {
  changes: Array<{ seq: number; id: string; row: DocumentRow | null }>;
  hasMore: boolean;
}

/**
 * One page of the change feed: documents changed and documents deleted past `since`, in change order.
 * Every number below a committed one is committed too (nextChangeSeq), so a client that pages on
 * with the last seq it got misses nothing committed after it read.
 */
export function* changesSince(orgId: string, since: number, limit: number): Unit<ChangePage> {
  const changed = (yield* rows((q) =>
    q
      .selectFrom('documents')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('change_seq', '>', since)
      .orderBy('change_seq')
      .limit(limit + 1),
  )) as unknown as DocumentRow[];
  const gone = yield* rows((q) =>
    q
      .selectFrom('document_tombstones')
      .select(['document_id as id', 'change_seq'])
      .where('org_id', '=', orgId)
      .where('change_seq', '>', since)
      .orderBy('change_seq')
      .limit(limit + 1),
  );
  // Both lists are in change order; one page holds the first `limit` changes of either kind.
  const merged = [
    ...changed.map((r) => ({ seq: r.change_seq, row: r as DocumentRow | null, id: r.id })),
    ...gone.map((g) => ({ seq: g.change_seq, row: null, id: g.id })),
  ].sort((a, b) => a.seq - b.seq);
  return { changes: merged.slice(0, limit), hasMore: merged.length > limit };
}

/**
 * Documents a bulk reprocess takes: not waiting for or in extraction; reviewed ones only when
 * asked; `failed` the failed ones, `outdated` those whose last extraction is not by `pipelineVersion`.
 */
export function* reprocessCandidates(
  orgId: string,
  scope: 'failed' | 'outdated',
  includeReviewed: boolean,
  pipelineVersion: string,
): Unit<string[]> {
  const found = yield* rows((q) =>
    q
      .selectFrom('documents as d')
      .select('d.id')
      .where('d.org_id', '=', orgId)
      .where('d.status', 'not in', ['uploaded', 'processing'])
      .$if(!includeReviewed, (qb) => qb.where('d.status', 'not in', ['approved', 'rejected']))
      .$if(scope === 'failed', (qb) => qb.where('d.status', '=', 'failed'))
      .$if(scope === 'outdated', (qb) =>
        qb.where(
          (eb) =>
            eb.fn.coalesce(
              eb
                .selectFrom('extractions as e')
                .select('e.pipeline_version')
                .whereRef('e.document_id', '=', 'd.id')
                .orderBy('e.id', 'desc')
                .limit(1),
              eb.val(''),
            ),
          '<>',
          pipelineVersion,
        ),
      )
      .orderBy('d.id'),
  );
  return found.map((r) => r.id);
}
