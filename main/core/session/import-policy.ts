/**
 * What an import does with content the queue has seen before, for both front ends (the desktop's
 * Import screen and `credmate import`): one rule, so the two cannot drift apart again.
 */
import type { QueueState } from '../../../common/domain';
import type { FileRow } from '../db/queue-rows';
import type { QueueStore } from '../db/queue-store';
import { queueScan, type QueueScanOptions, type QueueScanResult } from '../queue-scan';
import type { ScanHooks, ScannedFileDetail } from '../scan/scan-folder';
import type { UploadEngine } from '../upload/upload-engine';

/** States in which a file's content has reached the server: nothing left to do for it. */
export const DONE_STATES: readonly QueueState[] = ['uploaded', 'duplicate'];

/**
 * Whether scanned content counts as already queued (the Import screen shows it as "Already
 * imported" and leaves it out of the selection). A cancelled entry does not count: the user gave
 * that upload up, so the content was never imported and must be offered again. (The command line
 * used to count it, the desktop did not; the CLI never showed the flag, so only the desktop's
 * rule was visible, and it is the one kept.)
 */
export function countsAsQueued(prior: Pick<FileRow, 'state'> | null): boolean {
  return prior !== null && prior.state !== 'cancelled';
}

/** The scan hooks both front ends give scanFolder: hashes reused from the queue, and the rule above. */
export function queueScanHooks(store: QueueStore): Required<Pick<ScanHooks, 'knownSha256' | 'isQueued'>> {
  return {
    knownSha256: (path, size, mtime) => store.knownSha256(path, size, mtime),
    isQueued: (sha) => countsAsQueued(store.latestBySha256(sha)),
  };
}

/** What to do with each file whose content an earlier import queued. */
export interface PreviousPlan {
  /** Uploaded or found duplicate before: counted as imported, not sent again. */
  done: string[];
  /** Interrupted (paused): picks up from its recorded parts. */
  resume: string[];
  /** Failed or cancelled: tried again rather than ignored. */
  retry: string[];
}

/**
 * The policy for content queued before: done stays done; when the import starts now, paused
 * copies resume and failed or cancelled ones are retried; queued without starting, they are left
 * as they are (nothing moves until the user starts it).
 */
export function planPrevious(previous: QueueScanResult['previous'], startNow: boolean): PreviousPlan {
  const plan: PreviousPlan = { done: [], resume: [], retry: [] };
  for (const p of previous) {
    if (DONE_STATES.includes(p.state)) plan.done.push(p.fileId);
    else if (!startNow) continue;
    else if (p.state === 'paused') plan.resume.push(p.fileId);
    else if (p.state === 'failed' || p.state === 'cancelled') plan.retry.push(p.fileId);
  }
  return plan;
}

export interface QueuedFiles {
  result: QueueScanResult;
  plan: PreviousPlan;
}

/** Queues scanned files (offline-safe: the store only) and plans what to do with content seen before. */
export function queueScanned(
  store: QueueStore,
  files: readonly ScannedFileDetail[],
  opts: QueueScanOptions & { startNow: boolean },
): QueuedFiles {
  const result = queueScan(store, files, opts);
  return { result, plan: planPrevious(result.previous, opts.startNow) };
}

/** Hands queued files and the plan to a running engine: resumes, retries, and wakes it for the new ones. */
export async function applyToEngine(engine: UploadEngine, queued: QueuedFiles): Promise<void> {
  if (queued.plan.resume.length > 0) engine.resume({ fileIds: queued.plan.resume });
  const retried = queued.plan.retry.length > 0 ? engine.retry({ fileIds: queued.plan.retry }) : null;
  engine.notifyQueued();
  await retried;
}
