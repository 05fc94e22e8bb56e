import type { Db } from '../db/open';
import { uploadIdOfKey } from './object-keys';

/**
 * A read of the uploads table (uploads/ owns its writes), kept in storage/ because the embedded
 * store's write guard calls it and uploads/ imports storage/, never the other way round.
 *
 * True when `key` is the object of an upload that is no longer open: a completed one's bytes are a
 * document's and stay as they are; an aborted one's were removed and must not come back through a
 * part URL still valid (they would belong to no upload, and no sweep would find them).
 */
export function isSealedUploadKey(db: Db, key: string): boolean {
  const uploadId = uploadIdOfKey(key);
  if (!uploadId) return false;
  return !!db
    .prepare("SELECT 1 FROM uploads WHERE id = ? AND object_key = ? AND state IN ('completed', 'aborted')")
    .get(uploadId, key);
}
