import { AppError } from '../../common/errors';
import type { Db } from '../db/open';

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
}

/** The upload of this organisation, or not_found (another organisation's id included). */
export function getOwnUpload(db: Db, orgId: string, id: string): UploadRow {
  const row = db.prepare('SELECT * FROM uploads WHERE id = ? AND org_id = ?').get(id, orgId) as UploadRow | undefined;
  if (!row) throw new AppError('not_found', `No upload ${id}.`);
  return row;
}

/** Server-chosen object key: never derived from anything the client sent. */
export function objectKeyFor(orgId: string, uploadId: string): string {
  return `org/${orgId}/${uploadId}.pdf`;
}
