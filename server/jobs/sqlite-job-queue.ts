/**
 * The embedded mode's queue (queue.ts, the SQLite lease table) behind the JobQueue contract. Each
 * call is the queue.ts function it wraps, unchanged; only ids become text at the boundary.
 * Writers that must enqueue inside their own SQLite transaction (a completed upload writes its
 * document and job in one) keep calling queue.ts's enqueueJob directly.
 */
import type { Db } from '../db/open';
import type { JobLease, JobQueue } from './job-queue';
import {
  claimJob,
  completeJob,
  enqueueJob,
  failJob,
  msUntilNextRunnable,
  queueCounts,
  renewLease,
  type QueuePolicy,
} from './queue';

const rowId = (job: JobLease) => ({ jobId: Number(job.jobId), fencingToken: job.fencingToken });

export function createSqliteJobQueue(db: Db, policy: QueuePolicy): JobQueue {
  // Every method is async: a better-sqlite3 error (SQLITE_BUSY, a closed handle) must reject, so the
  // callers' .catch handlers run (run-job.ts's fail_unrecorded, keepLease's renew), not escape as a throw.
  return {
    enqueue: async (documentId) => String(enqueueJob(db, documentId, policy.maxAttempts)),
    async claim(workerId) {
      const job = claimJob(db, workerId, policy);
      return job && { ...job, jobId: String(job.jobId) };
    },
    renew: async (job) => renewLease(db, rowId(job), policy.leaseMs),
    complete: async (job, result) => completeJob(db, { ...rowId(job), documentId: job.documentId }, result),
    fail: async (job, error, permanent) => failJob(db, rowId(job), error, permanent, policy),
    depth: async () => queueCounts(db),
    msUntilNextRunnable: async () => msUntilNextRunnable(db),
  };
}
