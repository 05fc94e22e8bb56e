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
  return {
    enqueue: (documentId) => Promise.resolve(String(enqueueJob(db, documentId, policy.maxAttempts))),
    async claim(workerId) {
      const job = claimJob(db, workerId, policy);
      return job && { ...job, jobId: String(job.jobId) };
    },
    renew: (job) => Promise.resolve(renewLease(db, rowId(job), policy.leaseMs)),
    complete: (job, result) => Promise.resolve(completeJob(db, { ...rowId(job), documentId: job.documentId }, result)),
    fail: (job, error, permanent) => Promise.resolve(failJob(db, rowId(job), error, permanent, policy)),
    depth: () => Promise.resolve(queueCounts(db)),
    msUntilNextRunnable: () => Promise.resolve(msUntilNextRunnable(db)),
  };
}
