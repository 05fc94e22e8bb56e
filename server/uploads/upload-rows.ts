import { AppError } from '../../common/errors';
import { nowIso } from '../db/open';
import { affected, dialect, first, prepared, rows, type Unit } from '../db/units';
import type { ObjectStore } from '../storage/object-store';

export interface UploadRow {
  id: string;
  org_id: string;
  batch_id: string | null;
  file_name: string;
  size_bytes: number;
  sha256: string;
  provider: string | null;
  /** The path below the imported folder (rel-path.ts); null when none was sent. PHI-adjacent: never logged. */
  rel_path: string | null;
  object_key: string;
  s3_upload_id: string;
  part_size: number;
  part_count: number;
  state: 'open' | 'completed' | 'aborted';
  /** Completed: its document. Open: the failed document it will replace (replace-upload.ts), or null. */
  document_id: string | null;
  /** The user who registered it (null only for rows older than that column's use). */
  created_by: string | null;
}

// The statements every uploaded file runs (register, complete) are prepared: see units.ts's Prepared.
const ownUpload = prepared((q, p: { id: string; orgId: string }) =>
  q.selectFrom('uploads').selectAll().where('id', '=', p.id).where('org_id', '=', p.orgId),
);

/** The upload of this organisation, or not_found (another organisation's id included). */
export function* getOwnUpload(orgId: string, id: string): Unit<UploadRow> {
  const row = yield* first(ownUpload.with({ id, orgId }));
  if (!row) throw new AppError('not_found', `No upload ${id}.`);
  return row;
}

const ownUploadLocked = prepared((q, p: { id: string; orgId: string }) =>
  q.selectFrom('uploads').selectAll().where('id', '=', p.id).where('org_id', '=', p.orgId).forUpdate(),
);

/**
 * getOwnUpload for a write that decides on the upload's state: on PostgreSQL the row stays locked
 * until commit, so a concurrent complete or abort of the same upload (another API process) waits
 * and then reads what this one wrote. SQLite's write lock already holds every other writer off
 * (and SQLite has no FOR UPDATE).
 */
export function* lockOwnUpload(orgId: string, id: string): Unit<UploadRow> {
  if ((yield* dialect()) === 'sqlite') return yield* getOwnUpload(orgId, id);
  const row = yield* first(ownUploadLocked.with({ id, orgId }));
  if (!row) throw new AppError('not_found', `No upload ${id}.`);
  return row;
}

/**
 * s3_upload_id of an upload of one part: it opens no multipart upload on the store (create and
 * complete were a third of the store's work per small file); its part is a plain PUT to the key.
 */
export const SINGLE_PUT = '';

export function isSinglePut(u: Pick<UploadRow, 's3_upload_id'>): boolean {
  return u.s3_upload_id === SINGLE_PUT;
}

/** Drops what an unfinished upload left in the store: its multipart parts, or its single object. */
export function discardStored(store: ObjectStore, u: Pick<UploadRow, 'object_key' | 's3_upload_id'>): Promise<void> {
  return isSinglePut(u) ? store.remove(u.object_key) : store.abortMultipart(u.object_key, u.s3_upload_id);
}

/**
 * A new open upload (registration, register-upload.ts); false if the organisation already has an
 * open upload of these bytes (a concurrent registration won: the caller hands out that one). ON
 * CONFLICT instead of catching the unique violation: on PostgreSQL a failed statement would abort
 * the transaction.
 */
export function* insertUpload(u: Omit<UploadRow, 'state'>): Unit<boolean> {
  return (yield* affected(newUpload.with({ ...u, now: nowIso() }))) === 1;
}

const newUpload = prepared((q, p: Omit<UploadRow, 'state'> & { now: string }) =>
  q
    .insertInto('uploads')
    .values({
      id: p.id,
      org_id: p.org_id,
      batch_id: p.batch_id,
      file_name: p.file_name,
      size_bytes: p.size_bytes,
      sha256: p.sha256,
      provider: p.provider,
      rel_path: p.rel_path,
      object_key: p.object_key,
      s3_upload_id: p.s3_upload_id,
      part_size: p.part_size,
      part_count: p.part_count,
      document_id: p.document_id,
      created_by: p.created_by,
      state: 'open',
      created_at: p.now,
      updated_at: p.now,
    })
    .onConflict((oc) => oc.doNothing()),
);

/** The organisation's unfinished upload of these bytes, or null. */
export function* findOpenUpload(orgId: string, sha256: string): Unit<UploadRow | null> {
  return (yield* first(openUploadByHash.with({ orgId, sha256 }))) ?? null;
}

const openUploadByHash = prepared((q, p: { orgId: string; sha256: string }) =>
  q
    .selectFrom('uploads')
    .selectAll()
    .where('org_id', '=', p.orgId)
    .where('sha256', '=', p.sha256)
    .where('state', '=', 'open'),
);

/**
 * Completed (with its document) or aborted. A deleted document's upload is set aborted with no
 * document: its key stays sealed, so a part URL still valid cannot bring the bytes back.
 */
export function* setUploadState(
  uploadId: string,
  state: 'completed' | 'aborted',
  documentId: string | null = null,
): Unit<void> {
  yield* affected(uploadState.with({ uploadId, state, documentId, now: nowIso() }));
}

const uploadState = prepared(
  (q, p: { uploadId: string; state: 'completed' | 'aborted'; documentId: string | null; now: string }) =>
    q
      .updateTable('uploads')
      .set({ state: p.state, document_id: p.documentId, updated_at: p.now })
      .where('id', '=', p.uploadId),
);

/**
 * Seals an open upload as aborted, keeping its document_id; true only if it was still open. Call it
 * in the write transaction BEFORE discarding stored bytes, and discard only on true: a complete that
 * committed first (its bytes now a document's file) or another abort makes it change nothing.
 */
export function* abortIfOpen(uploadId: string): Unit<boolean> {
  const changed = yield* affected((q) =>
    q
      .updateTable('uploads')
      .set({ state: 'aborted', updated_at: nowIso() })
      .where('id', '=', uploadId)
      .where('state', '=', 'open'),
  );
  return changed === 1;
}

/** A batch's unfinished uploads (what a batch delete must discard from the store). */
export function* openUploadsOfBatch(batchId: string): Unit<Array<Pick<UploadRow, 'object_key' | 's3_upload_id'>>> {
  return yield* rows((q) =>
    q
      .selectFrom('uploads')
      .select(['object_key', 's3_upload_id'])
      .where('batch_id', '=', batchId)
      .where('state', '=', 'open'),
  );
}

export function* deleteUploadsOfBatch(batchId: string): Unit<void> {
  yield* affected((q) => q.deleteFrom('uploads').where('batch_id', '=', batchId));
}

/** Open uploads that will replace this document on complete. */
export function* openReplacementsOf(documentId: string): Unit<UploadRow[]> {
  return yield* rows((q) =>
    q.selectFrom('uploads').selectAll().where('document_id', '=', documentId).where('state', '=', 'open'),
  );
}

/**
 * Open uploads created before `cutoff` (ISO), at most `limit`: what the sweep of abandoned uploads
 * aborts (sweep-abandoned.ts).
 */
export function* openUploadsCreatedBefore(
  cutoff: string,
  limit: number,
): Unit<Array<Pick<UploadRow, 'id' | 'object_key' | 's3_upload_id'>>> {
  return yield* rows((q) =>
    q
      .selectFrom('uploads')
      .select(['id', 'object_key', 's3_upload_id'])
      .where('state', '=', 'open')
      .where('created_at', '<', cutoff)
      .limit(limit),
  );
}
