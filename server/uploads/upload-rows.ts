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
