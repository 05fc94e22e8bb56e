import type { ClaimedExtraction } from './job-queue';

/**
 * Test seam of the worker process: empty in production, where nothing sets or polls it. The test
 * harness installs `beforeExtract` from a preload (test/helpers/worker-hold-preload.mjs) to keep a
 * claimed job from finishing while a test looks at it (drain, crash, lease renewal), and the job
 * itself runs as always: claimed, lease renewed, result written through the fenced queue calls.
 */
export const jobHooks: {
  /** Awaited after the claim, before the document is read; `leaseLost()` turns true when the lease is gone. */
  beforeExtract?: (job: ClaimedExtraction, leaseLost: () => boolean) => Promise<void>;
} = {};
