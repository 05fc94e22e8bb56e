/**
 * The embedded mode's queue (queue.ts, the jobs lease table) behind the JobQueue contract. Each
 * call runs the queue.ts unit it wraps, unchanged; only ids become text at the boundary.
 * Writers that must enqueue inside their own transaction (a completed upload writes its document
 * and job in one) compose queue.ts's enqueueJob into their unit instead.
 */
import type { Db } from '../db/open';
import { handleUnits } from '../db/unit-runner';
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
  // Each write its own IMMEDIATE transaction (the worker has no group commit). The runner answers
  // every failure (SQLITE_BUSY, a closed handle) as a rejected promise, so the callers' .catch
  // handlers run (run-job.ts's fail_unrecorded, keepLease's renew), never a synchronous throw.
  const units = handleUnits(db);
  return {
    enqueue: async (documentId) => String(await units.write(() => enqueueJob(documentId, policy.maxAttempts))),
    async claim(workerId) {
      const job = await units.write(() => claimJob(workerId, policy));
      return job && { ...job, jobId: String(job.jobId) };
    },
    renew: (job) => units.write(() => renewLease(rowId(job), policy.leaseMs)),
    complete: (job, result) => units.write(() => completeJob({ ...rowId(job), documentId: job.documentId }, result)),
    fail: (job, error, permanent) => units.write(() => failJob(rowId(job), error, permanent, policy)),
    depth: () => units.read(() => queueCounts()),
    msUntilNextRunnable: () => units.read(() => msUntilNextRunnable()),
  };
}
