/**
 * The extraction job queue in SQLite (the pg-boss / SQS visibility-timeout model): a worker
 * claims a job with a lease and a fencing token; only the holder of the current token with an
 * unexpired lease may renew it or write the result. A dead worker's lease simply runs out and
 * the job is claimed again with a new token, so the late write of the old worker is rejected.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { DatabaseSchema } from '../db/schema';
import { affected, dialect, first, prepared, rows, type Unit } from '../db/units';
import { failExtraction, recordExtraction, resetForExtraction, startExtraction } from '../documents/document-store';

export interface QueuePolicy {
  leaseMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface ClaimedJob {
  jobId: number;
  documentId: string;
  fencingToken: number;
  attempt: number;
  objectKey: string;
  sizeBytes: number;
  sha256: string;
}

interface JobRow {
  id: number;
  document_id: string;
  state: string;
  attempts: number;
  max_attempts: number;
  fencing_token: number;
  lease_expires_at: number | null;
}

/** Queues a document's extraction; the job's id. A second active job for one document is a unique violation. */
export function* enqueueJob(documentId: string, maxAttempts: number, now = Date.now()): Unit<number> {
  return (yield* first(newJob.with({ documentId, maxAttempts, now })))!.id;
}

// Every uploaded file queues one: prepared (units.ts's Prepared).
const newJob = prepared((q, p: { documentId: string; maxAttempts: number; now: number }) =>
  q
    .insertInto('jobs')
    .values({
      document_id: p.documentId,
      state: 'queued',
      max_attempts: p.maxAttempts,
      run_after: p.now,
      enqueued_at: p.now,
    })
    .returning('id'),
);

function* deadLetter(job: Pick<JobRow, 'id' | 'document_id'>, reason: string, now: number): Unit<void> {
  yield* affected((q) =>
    q
      .updateTable('jobs')
      .set({ state: 'dead', last_error: reason, lease_owner: null, lease_expires_at: null, finished_at: now })
      .where('id', '=', job.id),
  );
  yield* failExtraction(job.document_id, reason, now);
}

/**
 * The next runnable job (queued and due, or running with an expired lease). On PostgreSQL the row
 * is locked, and rows other claimers hold are skipped, so two workers never take one job; SQLite's
 * write lock already admits one claimer at a time (and knows no FOR UPDATE).
 */
function* nextRunnable(now: number): Unit<JobRow | undefined> {
  const locking = (yield* dialect()) === 'postgres';
  return yield* first((q) =>
    q
      .selectFrom('jobs')
      .select(['id', 'document_id', 'state', 'attempts', 'max_attempts', 'fencing_token', 'lease_expires_at'])
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('run_after', '<=', now)]),
          eb.and([eb('state', '=', 'running'), eb('lease_expires_at', '<=', now)]),
        ]),
      )
      .orderBy('run_after')
      .orderBy('id')
      .limit(1)
      .$if(locking, (qb) => qb.forUpdate().skipLocked()),
  );
}

/** Claims the next runnable job (queued and due, or running with an expired lease), or null. */
export function* claimJob(owner: string, policy: QueuePolicy, now = Date.now()): Unit<ClaimedJob | null> {
  for (;;) {
    const job = yield* nextRunnable(now);
    if (!job) return null;
    if (job.state === 'running' && job.attempts >= job.max_attempts) {
      // Its worker died on every attempt: a poison document that kills workers goes to the dead letters.
      yield* deadLetter(job, `The worker stopped during each of ${job.attempts} attempts (lease expired).`, now);
      continue;
    }
    const token = job.fencing_token + 1;
    yield* affected((q) =>
      q
        .updateTable('jobs')
        .set((eb) => ({
          state: 'running',
          attempts: eb('attempts', '+', 1),
          fencing_token: token,
          lease_owner: owner,
          lease_expires_at: now + policy.leaseMs,
          first_claimed_at: eb.fn.coalesce('first_claimed_at', eb.val(now)),
        }))
        .where('id', '=', job.id),
    );
    const doc = yield* startExtraction(job.document_id, now);
    // The job's row goes with its document (ON DELETE CASCADE): a job found has its document.
    if (!doc) throw new Error(`Job ${job.id} names document ${job.document_id}, which does not exist.`);
    return {
      jobId: job.id,
      documentId: job.document_id,
      fencingToken: token,
      attempt: job.attempts + 1,
      objectKey: doc.object_key,
      sizeBytes: doc.size_bytes,
      sha256: doc.sha256,
    };
  }
}

/** The job is still this delivery's: running under its token, its lease not expired. */
function holds(job: Pick<ClaimedJob, 'jobId' | 'fencingToken'>, now: number) {
  return (eb: ExpressionBuilder<DatabaseSchema, 'jobs'>) =>
    eb.and([
      eb('id', '=', job.jobId),
      eb('state', '=', 'running'),
      eb('fencing_token', '=', job.fencingToken),
      eb('lease_expires_at', '>', now),
    ]);
}

/** Extends the lease; false means the lease is lost (expired or taken over) and the worker must stop. */
export function* renewLease(
  job: Pick<ClaimedJob, 'jobId' | 'fencingToken'>,
  leaseMs: number,
  now = Date.now(),
): Unit<boolean> {
  const n = yield* affected((q) =>
    q
      .updateTable('jobs')
      .set({ lease_expires_at: now + leaseMs })
      .where(holds(job, now)),
  );
  return n === 1;
}

export interface ExtractionResultRecord {
  pipelineVersion: string;
  resultJson: string;
  pages: number;
  docType: string;
  docTypeConfidence: number;
  minConfidence: number | null;
  meanConfidence: number | null;
  expirationDate: string | null;
}

/**
 * Writes the result only while holding the lease; false (and nothing written) for a stale worker.
 * The job row's UPDATE is the fence: on PostgreSQL it locks the row, so a second complete of the
 * same delivery waits and then finds the job done.
 */
export function* completeJob(
  job: Pick<ClaimedJob, 'jobId' | 'fencingToken' | 'documentId'>,
  result: ExtractionResultRecord,
  now = Date.now(),
): Unit<boolean> {
  const done = yield* affected((q) =>
    q
      .updateTable('jobs')
      .set({ state: 'done', lease_owner: null, lease_expires_at: null, last_error: null, finished_at: now })
      .where(holds(job, now)),
  );
  if (done !== 1) return false;
  yield* recordExtraction(job.documentId, { ...result, jobId: job.jobId, fencingToken: job.fencingToken }, now);
  return true;
}

export type FailOutcome = 'retry' | 'dead' | 'stale';

/** Exponential backoff with equal jitter: half the capped delay fixed, half random, so retries of many jobs spread out. */
export function backoffMs(
  attempt: number,
  policy: Pick<QueuePolicy, 'backoffBaseMs' | 'backoffMaxMs'>,
  random = Math.random,
): number {
  const cap = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** Records a failed attempt: retry later, or dead-letter when permanent or out of attempts. */
export function* failJob(
  job: Pick<ClaimedJob, 'jobId' | 'fencingToken'>,
  error: string,
  permanent: boolean,
  policy: QueuePolicy,
  now = Date.now(),
): Unit<FailOutcome> {
  const locking = (yield* dialect()) === 'postgres';
  const row = yield* first((q) =>
    q
      .selectFrom('jobs')
      .select(['id', 'document_id', 'attempts', 'max_attempts'])
      .where(holds(job, now))
      .$if(locking, (qb) => qb.forUpdate()),
  );
  if (!row) return 'stale';
  if (permanent || row.attempts >= row.max_attempts) {
    yield* deadLetter(row, error, now);
    return 'dead';
  }
  yield* affected((q) =>
    q
      .updateTable('jobs')
      .set({
        state: 'queued',
        last_error: error,
        lease_owner: null,
        lease_expires_at: null,
        run_after: now + backoffMs(row.attempts, policy),
      })
      .where('id', '=', row.id),
  );
  return 'retry';
}

/**
 * Queues the document's extraction again (after a pipeline upgrade); false when one is already
 * queued or running (the partial unique index on active jobs answers that, on both databases,
 * also when two requeues race on PostgreSQL).
 */
export function* requeueDocument(documentId: string, maxAttempts: number, now = Date.now()): Unit<boolean> {
  const queued = yield* first((q) =>
    q
      .insertInto('jobs')
      .values({ document_id: documentId, state: 'queued', max_attempts: maxAttempts, run_after: now, enqueued_at: now })
      // The index's own predicate, as literals: SQLite matches a partial index's WHERE by its text.
      .onConflict((oc) =>
        oc
          .column('document_id')
          .where(sql<boolean>`state IN ('queued', 'running')`)
          .doNothing(),
      )
      .returning('id'),
  );
  if (!queued) return false;
  yield* resetForExtraction(documentId);
  return true;
}

/**
 * On PostgreSQL the jobs table is an outbox (job-outbox.ts): the rows its relay handed to pg-boss,
 * deleted in the relay's transaction. Here so that the jobs table keeps one writer (table-owners).
 */
export function* dropRelayedJobs(ids: readonly number[]): Unit<void> {
  if (ids.length) yield* affected((q) => q.deleteFrom('jobs').where('id', 'in', ids));
}

/** Jobs waiting (due or backing off), held by a worker, and dead-lettered. */
export function* queueCounts(): Unit<{ pending: number; running: number; dead: number }> {
  const counted = yield* rows((q) =>
    q
      .selectFrom('jobs')
      .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
      .where('state', 'in', ['queued', 'running', 'dead'])
      .groupBy('state'),
  );
  // count() is bigint on PostgreSQL (read as a number by the pool's parser).
  const n = (s: string) => Number(counted.find((r) => r.state === s)?.n ?? 0);
  return { pending: n('queued'), running: n('running'), dead: n('dead') };
}

/** Milliseconds until the next job becomes runnable (due retry or expiring lease), or null if none is waiting. */
export function* msUntilNextRunnable(now = Date.now()): Unit<number | null> {
  const row = yield* first((q) =>
    q
      .selectFrom('jobs')
      .select((eb) =>
        eb.fn
          .min<number | null>(
            eb.case().when('state', '=', 'queued').then(eb.ref('run_after')).else(eb.ref('lease_expires_at')).end(),
          )
          .as('at'),
      )
      .where('state', 'in', ['queued', 'running']),
  );
  const at = row?.at ?? null;
  return at === null ? null : Math.max(0, Number(at) - now);
}
