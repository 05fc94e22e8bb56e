import { AppError } from '../../common/errors';
import { nowIso, type Db } from '../db/open';
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

/** The upload of this organisation, or not_found (another organisation's id included). */
export function getOwnUpload(db: Db, orgId: string, id: string): UploadRow {
  const row = db.prepare('SELECT * FROM uploads WHERE id = ? AND org_id = ?').get(id, orgId) as UploadRow | undefined;
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

/** A new open upload (registration, register-upload.ts). */
export function insertUpload(db: Db, u: Omit<UploadRow, 'state'>): void {
  const now = nowIso();
  db.prepare(
    `INSERT INTO uploads (id, org_id, batch_id, file_name, size_bytes, sha256, provider, rel_path, object_key, s3_upload_id, part_size, part_count, state, document_id, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
  ).run(
    u.id,
    u.org_id,
    u.batch_id,
    u.file_name,
    u.size_bytes,
    u.sha256,
    u.provider,
    u.rel_path,
    u.object_key,
    u.s3_upload_id,
    u.part_size,
    u.part_count,
    u.document_id,
    u.created_by,
    now,
    now,
  );
}

/** The organisation's unfinished upload of these bytes, or null. */
export function findOpenUpload(db: Db, orgId: string, sha256: string): UploadRow | null {
  return (
    (db.prepare("SELECT * FROM uploads WHERE org_id = ? AND sha256 = ? AND state = 'open'").get(orgId, sha256) as
      UploadRow | undefined) ?? null
  );
}

/**
 * Completed (with its document) or aborted. A deleted document's upload is set aborted with no
 * document: its key stays sealed, so a part URL still valid cannot bring the bytes back.
 */
export function setUploadState(
  db: Db,
  uploadId: string,
  state: 'completed' | 'aborted',
  documentId: string | null = null,
): void {
  db.prepare('UPDATE uploads SET state = ?, document_id = ?, updated_at = ? WHERE id = ?').run(
    state,
    documentId,
    nowIso(),
    uploadId,
  );
}

/**
 * Seals an open upload as aborted, keeping its document_id; true only if it was still open. Call it
 * in the write transaction BEFORE discarding stored bytes, and discard only on true: a complete that
 * committed first (its bytes now a document's file) or another abort makes it change nothing.
 */
export function abortIfOpen(db: Db, uploadId: string): boolean {
  return (
    db
      .prepare("UPDATE uploads SET state = 'aborted', updated_at = ? WHERE id = ? AND state = 'open'")
      .run(nowIso(), uploadId).changes === 1
  );
}

/** A batch's unfinished uploads (what a batch delete must discard from the store). */
export function openUploadsOfBatch(db: Db, batchId: string): Array<Pick<UploadRow, 'object_key' | 's3_upload_id'>> {
  return db
    .prepare("SELECT object_key, s3_upload_id FROM uploads WHERE batch_id = ? AND state = 'open'")
    .all(batchId) as Array<Pick<UploadRow, 'object_key' | 's3_upload_id'>>;
}

export function deleteUploadsOfBatch(db: Db, batchId: string): void {
  db.prepare('DELETE FROM uploads WHERE batch_id = ?').run(batchId);
}

/** Open uploads that will replace this document on complete. */
export function openReplacementsOf(db: Db, documentId: string): UploadRow[] {
  return db.prepare("SELECT * FROM uploads WHERE document_id = ? AND state = 'open'").all(documentId) as UploadRow[];
}
