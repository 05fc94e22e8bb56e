/**
 * The embedded queue's units (server/jobs/queue.ts) on both databases: leases and fencing tokens,
 * backoff and dead letters, requeues; and two connections claiming at once never take one job twice.
 * (Was test/server/job-queue.test.ts, SQLite only, on the handle.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { unitsFor, type UnitRunner } from '../../../server/db/unit-runner';
import { affected, first, rows } from '../../../server/db/units';
import {
  backoffMs,
  claimJob,
  completeJob,
  dropRelayedJobs,
  enqueueJob,
  failJob,
  queueCounts,
  renewLease,
  requeueDocument,
  type ClaimedJob,
} from '../../../server/jobs/queue';
import { documentRow } from '../../support/document-rows';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';
import { EMPTY_EXTRACTION_RESULT, TEST_JOB_POLICY } from '../../support/job-fixtures';

const policy = TEST_JOB_POLICY;
const result = EMPTY_EXTRACTION_RESULT;

describe.each(DATABASE_KINDS)('the job queue on %s', (kind) => {
  let t: TestServerDatabase;
  let units: UnitRunner;
  afterEach(async () => t?.cleanup());

  async function open() {
    t = await openTestServerDatabase(kind);
    units = unitsFor(t.database);
    await units.write(() =>
      affected((q) => q.insertInto('organizations').values({ id: 'o', name: 'O', created_at: '' })),
    );
  }
  async function addDocument(id: string) {
    await units.write(() =>
      affected((q) => q.insertInto('documents').values(documentRow({ id, org_id: 'o', status: 'uploaded' }))),
    );
    return units.write(() => enqueueJob(id, policy.maxAttempts, 0));
  }
  const claim = (owner: string, now: number) => units.write(() => claimJob(owner, policy, now));
  const complete = (job: ClaimedJob, now: number) => units.write(() => completeJob(job, result, now));
  const fail = (job: ClaimedJob, error: string, now: number) =>
    units.write(() => failJob(job, error, false, policy, now));
  const status = async (id: string) =>
    (await units.read(() => first((q) => q.selectFrom('documents').select('status').where('id', '=', id))))!.status;
  const extractions = () =>
    units.read(() => rows((q) => q.selectFrom('extractions').select(['job_id', 'fencing_token'])));

  it('rejects the late write of a worker whose lease expired and was taken over', async () => {
    await open();
    await addDocument('d1');
    const stale = (await claim('worker-a', 1000))!;
    expect(stale.fencingToken).toBe(1);
    expect(await claim('worker-b', 1500)).toBeNull();
    const fresh = (await claim('worker-b', 2001))!;
    expect(fresh).toMatchObject({ jobId: stale.jobId, fencingToken: 2, attempt: 2 });

    expect(await units.write(() => renewLease(stale, policy.leaseMs, 2100))).toBe(false);
    expect(await complete(stale, 2100)).toBe(false);
    expect(await fail(stale, 'late', 2100)).toBe('stale');
    expect(await extractions()).toEqual([]);

    expect(await complete(fresh, 2200)).toBe(true);
    expect(await extractions()).toEqual([{ job_id: fresh.jobId, fencing_token: 2 }]);
    expect(await status('d1')).toBe('review_pending');
  });

  it('refuses a write after the lease expired even before anyone took over', async () => {
    await open();
    await addDocument('d1');
    const job = (await claim('w', 1000))!;
    expect(await units.write(() => renewLease(job, policy.leaseMs, 1500))).toBe(true);
    expect(await complete(job, 2600)).toBe(false);
  });

  it('retries with backoff, then dead-letters after the last attempt with its error', async () => {
    await open();
    await addDocument('d1');
    let now = 1000;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const job = (await claim('w', now))!;
      expect(job.attempt).toBe(attempt);
      expect(await fail(job, `boom ${attempt}`, now)).toBe('retry');
      expect(await claim('w', now)).toBeNull();
      now += policy.backoffMaxMs;
    }
    const last = (await claim('w', now))!;
    expect(await fail(last, 'boom 3', now)).toBe('dead');
    expect(await units.read(() => rows((q) => q.selectFrom('jobs').select(['state', 'last_error'])))).toEqual([
      { state: 'dead', last_error: 'boom 3' },
    ]);
    expect(await units.read(() => rows((q) => q.selectFrom('documents').select(['status', 'failure_reason'])))).toEqual(
      [{ status: 'failed', failure_reason: 'boom 3' }],
    );
    expect(await units.read(() => queueCounts())).toEqual({ pending: 0, running: 0, dead: 1 });
  });

  it('dead-letters a job whose worker died on every attempt, and moves on to the next job', async () => {
    await open();
    await addDocument('poison');
    await addDocument('good');
    let now = 1000;
    for (let i = 0; i < policy.maxAttempts; i++) {
      expect((await claim('w', now))?.documentId).toBe('poison');
      now += policy.leaseMs + 1;
    }
    expect((await claim('w', now))?.documentId).toBe('good');
    expect(await status('poison')).toBe('failed');
  });

  it('backs off exponentially with jitter inside [cap/2, cap]', () => {
    expect(backoffMs(1, policy, () => 0)).toBe(50);
    expect(backoffMs(1, policy, () => 1)).toBe(100);
    expect(backoffMs(4, policy, () => 0)).toBe(400);
    expect(backoffMs(4, policy, () => 1)).toBe(800);
    expect(backoffMs(30, policy, () => 1)).toBe(10_000);
  });

  it('requeues a finished document for reprocessing, but not one already queued', async () => {
    await open();
    await addDocument('d1');
    expect(await units.write(() => requeueDocument('d1', 3))).toBe(false);
    const job = (await claim('w', 1000))!;
    expect(await complete(job, 1100)).toBe(true);
    expect(await units.write(() => requeueDocument('d1', 3))).toBe(true);
    expect(await status('d1')).toBe('uploaded');
    const again = (await claim('w', Date.now() + 1))!;
    expect(again.jobId).not.toBe(job.jobId);
  });

  it('drops the rows an outbox relay handed over, and only those', async () => {
    await open();
    const [a, b] = [await addDocument('d1'), await addDocument('d2')];
    await units.write(() => dropRelayedJobs([a]));
    await units.write(() => dropRelayedJobs([]));
    const left = await units.read(() => rows((q) => q.selectFrom('jobs').select('id')));
    expect(left).toEqual([{ id: b }]);
  });

  it('gives each job to one of two connections claiming at once, and takes each result once', async () => {
    await open();
    const other = unitsFor(await t.openAnother());
    const ids = Array.from({ length: 12 }, (_, i) => `c${i}`);
    for (const id of ids) await addDocument(id);
    const work = async (runner: UnitRunner, owner: string) => {
      const taken: number[] = [];
      for (;;) {
        const job = await runner.write(() => claimJob(owner, policy, 1000));
        if (!job) return taken;
        expect(await runner.write(() => completeJob(job, result, 1100))).toBe(true);
        taken.push(job.jobId);
      }
    };
    const [byA, byB] = await Promise.all([work(units, 'a'), work(other, 'b')]);
    expect(byA.filter((id) => byB.includes(id))).toEqual([]);
    expect(byA.length + byB.length).toBe(ids.length);
    expect(await extractions()).toHaveLength(ids.length);
  });
});
