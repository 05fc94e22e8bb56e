/**
 * Aborts uploads left open past their age (a client that registered and never completed): their
 * parts, or their single object, are removed from the store and the upload is marked aborted, so
 * bytes nobody completed do not stay on disk forever. Server-driven, so it works on every store;
 * on AWS a bucket lifecycle rule (AbortIncompleteMultipartUpload) still catches uploads whose row
 * was lost.
 */
import type { UnitRunner } from '../db/unit-runner';
import type { Logger } from '../log';
import type { ObjectStore } from '../storage/object-store';
import { abortIfOpen, discardStored, openUploadsCreatedBefore } from './upload-rows';

type SweepDeps = { units: UnitRunner; store: ObjectStore; log: Logger };

const BATCH = 100;

/** Aborts open uploads created more than `maxAgeSeconds` ago; returns how many. */
export async function sweepAbandonedUploads(deps: SweepDeps, maxAgeSeconds: number, now = Date.now()): Promise<number> {
  const { units } = deps;
  const cutoff = new Date(now - maxAgeSeconds * 1000).toISOString();
  let swept = 0;
  for (;;) {
    const stale = await units.read(() => openUploadsCreatedBefore(cutoff, BATCH));
    for (const u of stale) {
      // Marked first: a complete arriving meanwhile is refused (409) instead of completing bytes being removed.
      if (!(await units.write(() => abortIfOpen(u.id)))) continue;
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
