/**
 * The one writer of `documents`, their `extractions` and `document_tombstones`, and of the change
 * sequence the desktop's change feed follows. Every change to a document takes the next sequence
 * number here, so no caller can forget it (the mirror would then never see the change).
 * Call these inside the caller's write transaction; they run no transaction of their own.
 */
import type { DocumentStatus } from '../../common/api';
import { AppError } from '../../common/errors';
import { nowIso, type Db } from '../db/open';
import type { DocumentRow } from './document-view';

/**
 * Next value of the server-wide change sequence. A counter row, not MAX(change_seq)+1: deleting
 * the newest document must not let the next change reuse a cursor a client has already seen.
 */
function nextChangeSeq(db: Db): number {
  const row = db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'change_seq' RETURNING value").get() as {
    value: number;
  };
  return row.value;
}

/**
 * Puts a document on the change feed again for something shown with it that is not its own
 * (its provider match): the next sequence number only, updated_at stays. Returns the new
 * sequence, or null when the document is gone.
 */
export function announceDocument(db: Db, documentId: string): number | null {
  const seq = nextChangeSeq(db);
  return db.prepare('UPDATE documents SET change_seq = ? WHERE id = ?').run(seq, documentId).changes > 0 ? seq : null;
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
export function insertDocument(db: Db, d: NewDocument): void {
  const now = nowIso();
  db.prepare(
    `INSERT INTO documents (id, org_id, batch_id, upload_id, file_name, size_bytes, sha256, sha256_verified_at, provider, rel_path, object_key, status, created_at, updated_at, change_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'uploaded', ?, ?, ?)`,
  ).run(
    d.id,
    d.orgId,
    d.batchId,
    d.uploadId,
    d.fileName,
    d.sizeBytes,
    d.sha256,
    d.sha256VerifiedAt,
    d.provider,
    d.relPath ?? null,
    d.objectKey,
    now,
    now,
    nextChangeSeq(db),
  );
}

export interface DocumentFile {
  uploadId: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  sha256VerifiedAt: string;
  objectKey: string;
}

/**
 * A failed document's new file (replace-upload.ts): everything read from the old one is cleared
 * (its extractions too) and the document is uploaded again. Returns the old file's upload, key
 * and hash; conflict unless the document is still failed, not_found once it is deleted.
 */
export function replaceDocumentFile(
  db: Db,
  orgId: string,
  documentId: string,
  f: DocumentFile,
): { upload_id: string | null; object_key: string; sha256: string } {
  const old = db
    .prepare('SELECT upload_id, object_key, sha256, status FROM documents WHERE id = ? AND org_id = ?')
    .get(documentId, orgId) as
    { upload_id: string | null; object_key: string; sha256: string; status: string } | undefined;
  if (!old) throw new AppError('not_found', `No document ${documentId}; it was deleted while its new file was sent.`);
  if (old.status !== 'failed')
    throw new AppError('conflict', `The document is ${old.status} now; only a failed document's file can be replaced.`);
  db.prepare('DELETE FROM extractions WHERE document_id = ?').run(documentId);
  db.prepare(
    `UPDATE documents SET upload_id = ?, file_name = ?, size_bytes = ?, sha256 = ?, sha256_verified_at = ?, object_key = ?,
       failure_reason = NULL, pages = NULL, doc_type = NULL, doc_type_confidence = NULL, min_confidence = NULL,
       mean_confidence = NULL, expiration_date = NULL, corrections_json = '{}', reviewed_by = NULL, reviewed_at = NULL,
       processing_started_at = NULL, processing_finished_at = NULL WHERE id = ?`,
  ).run(f.uploadId, f.fileName, f.sizeBytes, f.sha256, f.sha256VerifiedAt, f.objectKey, documentId);
  setDocumentStatus(db, documentId, 'uploaded');
  return old;
}

export interface StatusFields {
  failureReason?: string | null;
  processingStartedAt?: number;
  processingFinishedAt?: number;
}

/** Moves a document to `status`; a field left out keeps its value (the first start time is kept). */
export function setDocumentStatus(db: Db, documentId: string, status: DocumentStatus, f: StatusFields = {}): void {
  db.prepare(
    `UPDATE documents SET status = ?, failure_reason = COALESCE(?, failure_reason), processing_started_at = COALESCE(processing_started_at, ?),
       processing_finished_at = COALESCE(?, processing_finished_at), updated_at = ?, change_seq = ? WHERE id = ?`,
  ).run(
    status,
    f.failureReason ?? null,
    f.processingStartedAt ?? null,
    f.processingFinishedAt ?? null,
    nowIso(),
    nextChangeSeq(db),
    documentId,
  );
}

/** Back to uploaded for another extraction: the last run's failure and times are cleared. */
export function resetForExtraction(db: Db, documentId: string): void {
  db.prepare(
    'UPDATE documents SET failure_reason = NULL, processing_started_at = NULL, processing_finished_at = NULL WHERE id = ?',
  ).run(documentId);
  setDocumentStatus(db, documentId, 'uploaded');
}

export interface ExtractionRecord {
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

/** Stores an extraction's result and sends the document to review. */
export function recordExtraction(db: Db, documentId: string, r: ExtractionRecord, now: number): void {
  const at = new Date(now).toISOString();
  db.prepare(
    'INSERT INTO extractions (document_id, job_id, fencing_token, pipeline_version, result_json, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(documentId, r.jobId, r.fencingToken, r.pipelineVersion, r.resultJson, at);
  // The worker compared the bytes with the declared size and SHA-256 before extracting them
  // (run-job.ts): that verifies documents completed before complete itself checked.
  db.prepare(
    'UPDATE documents SET pages = ?, doc_type = ?, doc_type_confidence = ?, min_confidence = ?, mean_confidence = ?, expiration_date = ?, failure_reason = NULL, processing_finished_at = NULL, sha256_verified_at = COALESCE(sha256_verified_at, ?) WHERE id = ?',
  ).run(r.pages, r.docType, r.docTypeConfidence, r.minConfidence, r.meanConfidence, r.expirationDate, at, documentId);
  setDocumentStatus(db, documentId, 'review_pending', { processingFinishedAt: now });
}

export interface ReviewWrite {
  correctionsJson: string;
  status: DocumentStatus;
  failureReason: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  expirationDate: string | null;
}

/** A reviewer's corrections and decision (or, reopening, their removal: reviewedBy null). */
export function writeReview(db: Db, documentId: string, w: ReviewWrite): void {
  db.prepare(
    `UPDATE documents SET corrections_json = ?, status = ?, failure_reason = ?, reviewed_by = ?, reviewed_at = ?,
       expiration_date = ?, updated_at = ?, change_seq = ? WHERE id = ?`,
  ).run(
    w.correctionsJson,
    w.status,
    w.failureReason,
    w.reviewedBy,
    w.reviewedAt,
    w.expirationDate,
    nowIso(),
    nextChangeSeq(db),
    documentId,
  );
}

/**
 * Deletes documents (their extractions and jobs go with them: ON DELETE CASCADE), leaving a
 * tombstone each so the change feed tells mirrors to drop them.
 */
export function removeDocuments(db: Db, orgId: string, documentIds: readonly string[]): void {
  const tombstone = db.prepare(
    'INSERT OR REPLACE INTO document_tombstones (document_id, org_id, change_seq, deleted_at) VALUES (?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM documents WHERE id = ? AND org_id = ?');
  for (const id of documentIds) {
    tombstone.run(id, orgId, nextChangeSeq(db), nowIso());
    remove.run(id, orgId);
  }
}

/** Ids and keys of a batch's documents. */
export function documentsOfBatch(db: Db, batchId: string): Array<{ id: string; object_key: string }> {
  return db.prepare('SELECT id, object_key FROM documents WHERE batch_id = ?').all(batchId) as Array<{
    id: string;
    object_key: string;
  }>;
}

/** The organisation's usable document with these bytes (verified, never failed), or null. */
export function findVerifiedByHash(
  db: Db,
  orgId: string,
  sha256: string,
): { id: string; status: DocumentStatus } | null {
  const row = db
    .prepare(
      "SELECT id, status FROM documents WHERE org_id = ? AND sha256 = ? AND sha256_verified_at IS NOT NULL AND status <> 'failed' ORDER BY sha256_verified_at LIMIT 1",
    )
    .get(orgId, sha256) as { id: string; status: DocumentStatus } | undefined;
  return row ?? null;
}

/** A document's id and status by id (no organisation check: for callers that hold its upload). */
export function documentStatus(db: Db, documentId: string): { id: string; status: DocumentStatus } | null {
  return (
    (db.prepare('SELECT id, status FROM documents WHERE id = ?').get(documentId) as
      { id: string; status: DocumentStatus } | undefined) ?? null
  );
}

/** What a worker needs to fetch and check a document's bytes. */
export function documentObject(db: Db, documentId: string): { object_key: string; size_bytes: number; sha256: string } {
  return db.prepare('SELECT object_key, size_bytes, sha256 FROM documents WHERE id = ?').get(documentId) as {
    object_key: string;
    size_bytes: number;
    sha256: string;
  };
}

/** One page of the change feed: documents changed and documents deleted past `since`, in change order. */
export function changesSince(
  db: Db,
  orgId: string,
  since: number,
  limit: number,
): { changes: Array<{ seq: number; id: string; row: DocumentRow | null }>; hasMore: boolean } {
  const rows = db
    .prepare('SELECT * FROM documents WHERE org_id = ? AND change_seq > ? ORDER BY change_seq LIMIT ?')
    .all(orgId, since, limit + 1) as DocumentRow[];
  const gone = db
    .prepare(
      'SELECT document_id AS id, change_seq FROM document_tombstones WHERE org_id = ? AND change_seq > ? ORDER BY change_seq LIMIT ?',
    )
    .all(orgId, since, limit + 1) as Array<{ id: string; change_seq: number }>;
  // Both lists are in change order; one page holds the first `limit` changes of either kind.
  const merged = [
    ...rows.map((r) => ({ seq: r.change_seq, row: r as DocumentRow | null, id: r.id })),
    ...gone.map((g) => ({ seq: g.change_seq, row: null, id: g.id })),
  ].sort((a, b) => a.seq - b.seq);
  return { changes: merged.slice(0, limit), hasMore: merged.length > limit };
}

/**
 * Documents a bulk reprocess takes: not waiting for or in extraction; reviewed ones only when
 * asked; `failed` the failed ones, `outdated` those whose last extraction is not by `pipelineVersion`.
 */
export function reprocessCandidates(
  db: Db,
  orgId: string,
  scope: 'failed' | 'outdated',
  includeReviewed: boolean,
  pipelineVersion: string,
): string[] {
  const rows = db
    .prepare(
      `SELECT d.id FROM documents d
       WHERE d.org_id = ? AND d.status NOT IN ('uploaded', 'processing')
         AND (? = 1 OR d.status NOT IN ('approved', 'rejected'))
         AND CASE ? WHEN 'failed' THEN d.status = 'failed'
             ELSE COALESCE((SELECT e.pipeline_version FROM extractions e WHERE e.document_id = d.id ORDER BY e.id DESC LIMIT 1), '') <> ? END`,
    )
    .all(orgId, includeReviewed ? 1 : 0, scope, pipelineVersion) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}
