import { AppError } from '../../common/errors';
import type { Db } from '../db/open';
import type { ObjectStore } from '../storage/object-store';

export interface UploadRow {
  id: string;
  org_id: string;
  batch_id: string | null;
  file_name: string;
  size_bytes: number;
  sha256: string;
  provider: string | null;
  object_key: string;
  s3_upload_id: string;
  part_size: number;
  part_count: number;
  state: 'open' | 'completed' | 'aborted';
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

/** Server-chosen object key: never derived from anything the client sent. */
export function objectKeyFor(orgId: string, uploadId: string): string {
  return `org/${orgId}/${uploadId}.pdf`;
}

/** An objectKeyFor key: organisation id, upload id. */
const DOCUMENT_KEY = /^org\/([^/]+)\/([^/]+)\.pdf$/;

/** Where the worker keeps the text it read from the document stored at `objectKey` (a derived artifact, JSON). */
export function derivedTextKeyFor(objectKey: string): string {
  const m = DOCUMENT_KEY.exec(objectKey);
  // Never a key that could be the document's own: the text must not overwrite the PDF.
  if (!m) throw new Error(`Not a document key: ${objectKey}`);
  return `org/${m[1]}/derived/${m[2]}/text.json`;
}

/**
 * True when `key` is the object of an upload that is no longer open: a completed one's bytes are a
 * document's and stay as they are; an aborted one's were removed and must not come back through a
 * part URL still valid (they would belong to no upload, and no sweep would find them).
 */
export function isSealedUploadKey(db: Db, key: string): boolean {
  const uploadId = DOCUMENT_KEY.exec(key)?.[2];
  if (!uploadId) return false;
  return !!db
    .prepare("SELECT 1 FROM uploads WHERE id = ? AND object_key = ? AND state IN ('completed', 'aborted')")
    .get(uploadId, key);
}
