/**
 * Aborts uploads left open past their age (a client that registered and never completed): their
 * parts, or their single object, are removed from the store and the upload is marked aborted, so
 * bytes nobody completed do not stay on disk forever. Server-driven, so it works on every store;
 * on AWS a bucket lifecycle rule (AbortIncompleteMultipartUpload) still catches uploads whose row
 * was lost.
 */
import type { Db } from '../db/open';
import type { Logger } from '../log';
import type { ObjectStore } from '../storage/object-store';
import { abortIfOpen, discardStored, type UploadRow } from './upload-rows';

const BATCH = 100;

/** Aborts open uploads created more than `maxAgeSeconds` ago; returns how many. */
export async function sweepAbandonedUploads(
  deps: { db: Db; store: ObjectStore; log: Logger },
  maxAgeSeconds: number,
  now = Date.now(),
): Promise<number> {
  const cutoff = new Date(now - maxAgeSeconds * 1000).toISOString();
  let swept = 0;
  for (;;) {
    const stale = deps.db
      .prepare("SELECT id, object_key, s3_upload_id FROM uploads WHERE state = 'open' AND created_at < ? LIMIT ?")
      .all(cutoff, BATCH) as Array<Pick<UploadRow, 'id' | 'object_key' | 's3_upload_id'>>;
    for (const u of stale) {
      // Marked first: a complete arriving meanwhile is refused (409) instead of completing bytes being removed.
      if (!abortIfOpen(deps.db, u.id)) continue;
      await discardStored(deps.store, u).catch((err: unknown) =>
        deps.log.warn('uploads.sweep_discard_failed', {
          uploadId: u.id,
          error: err instanceof Error ? err.message : String(err),
        }),
      );
      swept++;
    }
    if (stale.length < BATCH) break;
  }
  if (swept) deps.log.info('uploads.swept', { count: swept, maxAgeSeconds });
  return swept;
}
