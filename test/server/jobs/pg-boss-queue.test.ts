/**
 * The PostgreSQL deployment's job queue on real pg-boss and a real (throwaway) PostgreSQL: retries
 * with backoff, dead letters counted in the depth, competing workers, and the fence that rejects a
 * stale worker's result after its job expired and went to another worker.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBossQueue, type PgBossQueueOptions, type PgJobDocuments } from '../../../server/jobs/pg-boss-queue';
import { parseDatabaseUrl } from '../../../server/db/database-url';
import { migratePg } from '../../../server/db/pg/migrate-pg';
import { createPostgresPool } from '../../../server/db/postgres-pool';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { waitFor } from '../../helpers/upload-client';
import { EMPTY_EXTRACTION_RESULT } from '../../support/job-fixtures';

const result = EMPTY_EXTRACTION_RESULT;

/**
 * Stand-in documents tables (standin_*, beside the migrated schema) keep this test on pg-boss's own
 * behaviour; test/server/db/pg-boss-documents.test.ts runs the queue on the real documents.
 */
const documents: PgJobDocuments = {
  async claimed(tx, documentId) {
    const { rows } = await tx.query<{ object_key: string; size_bytes: number; sha256: string }>(
      "UPDATE standin_docs SET status = 'processing' WHERE id = $1 RETURNING object_key, size_bytes, sha256",
      [documentId],
    );
    const row = rows[0];
    return row ? { objectKey: row.object_key, sizeBytes: row.size_bytes, sha256: row.sha256 } : null;
  },
  async completed(tx, job, r) {
    await tx.query(
      'INSERT INTO standin_extractions (document_id, job_id, fencing_token, doc_type) VALUES ($1, $2, $3, $4)',
      [job.documentId, job.jobId, job.fencingToken, r.docType],
    );
    await tx.query("UPDATE standin_docs SET status = 'review_pending' WHERE id = $1", [job.documentId]);
  },
  async deadLettered(tx, documentId, reason) {
    await tx.query("UPDATE standin_docs SET status = 'failed', failure_reason = $2 WHERE id = $1", [
      documentId,
      reason,
    ]);
  },
};

/** The credmate schema (credmate_job_outcomes is a migration's), as the server's start leaves it. */
async function migrated(url: string): Promise<void> {
  const pool = createPostgresPool(parseDatabaseUrl(url), { max: 1 });
  try {
    await migratePg(pool);
  } finally {
    await pool.end();
  }
}

const baseOptions = (url: string, queue: string): PgBossQueueOptions => ({
  connectionString: url,
  documents,
  queue,
  maxAttempts: 3,
  backoffBaseSeconds: 1,
  expireInSeconds: 300,
});

describe('PgBossQueue started by several processes at once', () => {
  let db: TestDatabase;
  const queues: PgBossQueue[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrated(db.url);
  });
  afterAll(async () => {
    for (const q of queues) await q.stop();
    await db?.drop();
  });

  it('starts four instances at once on a fresh database (pg-boss not yet installed)', async () => {
    // An API process and workers started together: each installs pg-boss and creates the queues.
    const started = await Promise.allSettled(
      Array.from({ length: 4 }, () => PgBossQueue.start(baseOptions(db.url, 'extraction'))),
    );
    for (const s of started) if (s.status === 'fulfilled') queues.push(s.value);
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual(
      Array(4).fill('started'),
    );
    // The queues exist once each and take work.
    const id = await queues[0]!.enqueue('none');
    expect(id).toBeTruthy();
    expect(await queues[3]!.depth()).toEqual({ pending: 1, running: 0, dead: 0 });
  });
});

describe('PgBossQueue on a real PostgreSQL', () => {
  let db: TestDatabase;
  let client: pg.Client;
  const queues: PgBossQueue[] = [];
  const start = async (opts: Partial<PgBossQueueOptions> & { queue: string }) => {
    const q = await PgBossQueue.start({
      connectionString: db.url,
      documents,
      maxAttempts: 3,
      backoffBaseSeconds: 1,
      expireInSeconds: 300,
      ...opts,
    });
    queues.push(q);
    return q;
  };
  const addDocument = (id: string) =>
    client.query(
      "INSERT INTO standin_docs (id, object_key, size_bytes, sha256, status) VALUES ($1, $2, 10, 'aa', 'uploaded')",
      [id, `k-${id}`],
    );
  const doc = async (id: string) =>
    (await client.query('SELECT status, failure_reason FROM standin_docs WHERE id = $1', [id])).rows[0];
  const extractions = async (id: string) =>
    (await client.query('SELECT job_id, fencing_token FROM standin_extractions WHERE document_id = $1', [id])).rows;
  /** Claims until a job is due (a retry waits out its backoff first). */
  const claimDue = (q: PgBossQueue, what: string) =>
    waitFor(async () => (await q.claim('w')) ?? undefined, 60_000, what);

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrated(db.url);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TABLE standin_docs (id text PRIMARY KEY, object_key text, size_bytes int, sha256 text,
      status text, failure_reason text)`);
    await client.query(
      'CREATE TABLE standin_extractions (document_id text, job_id uuid, fencing_token int, doc_type text)',
    );
  });
  afterAll(async () => {
    for (const q of queues) await q.stop();
    await client?.end();
    await db?.drop();
  });

  it('retries a failed attempt after an exponential backoff, then completes it once', async () => {
    const q = await start({ queue: 'retry-then-ok' });
    await addDocument('r1');
    const id = await q.enqueue('r1');
    const first = await q.claim('w1');
    expect(first).toEqual({
      jobId: id,
      documentId: 'r1',
      fencingToken: 1,
      attempt: 1,
      objectKey: 'k-r1',
      sizeBytes: 10,
      sha256: 'aa',
    });
    expect(await doc('r1')).toMatchObject({ status: 'processing' });
    expect(await q.depth()).toEqual({ pending: 0, running: 1, dead: 0 });

    const failedAt = Date.now();
    expect(await q.fail(first!, 'timeout: slow page', false)).toBe('retry');
    // pg-boss's backoff: the first retry waits between 1x and 2x the base delay (1 s here).
    const waiting = await q.boss.getJobById(q.queue, id);
    expect(waiting).toMatchObject({ state: 'retry', retryCount: 0, output: { error: 'timeout: slow page' } });
    expect(waiting!.startAfter.getTime()).toBeGreaterThanOrEqual(failedAt + 900);
    expect(await q.depth()).toEqual({ pending: 1, running: 0, dead: 0 });

    const second = await claimDue(q, 'the retry to come due');
    expect(second).toMatchObject({ jobId: id, fencingToken: 2, attempt: 2 });
    expect(await q.complete(second, result)).toBe(true);
    expect(await extractions('r1')).toEqual([{ job_id: id, fencing_token: 2 }]);
    expect(await doc('r1')).toMatchObject({ status: 'review_pending' });
    expect(await q.boss.getJobById(q.queue, id)).toMatchObject({ state: 'completed' });
    expect(await q.depth()).toEqual({ pending: 0, running: 0, dead: 0 });
  });

  it('dead-letters a job out of attempts (and a permanent failure at once), and the depth shows both', async () => {
    const q = await start({ queue: 'dead-letters', maxAttempts: 2 });
    await addDocument('x1');
    await addDocument('x2');
    const id = await q.enqueue('x1');
    expect(await q.fail((await q.claim('w'))!, 'crashed: attempt 1', false)).toBe('retry');
    const last = await claimDue(q, 'the second attempt');
    expect(last.attempt).toBe(2);
    expect(await q.fail(last, 'crashed: attempt 2', false)).toBe('dead');
    expect(await q.depth()).toEqual({ pending: 0, running: 0, dead: 1 });
    expect(await doc('x1')).toEqual({ status: 'failed', failure_reason: 'crashed: attempt 2' });
    expect(await q.boss.getJobById(q.queue, id)).toMatchObject({ state: 'failed' });

    await q.enqueue('x2');
    const poison = (await q.claim('w'))!;
    expect(await q.fail(poison, 'corrupt: not a PDF', true)).toBe('dead');
    expect(await q.depth()).toEqual({ pending: 0, running: 0, dead: 2 });

    // The dead letters wait in their own queue with the document and the last error.
    const dead = await client.query<{ data: { documentId: string }; output: { error: string } }>(
      'SELECT data, output FROM pgboss.job WHERE name = $1 ORDER BY created_on',
      [q.deadLetterQueue],
    );
    expect(dead.rows.map((r) => [r.data.documentId, r.output.error])).toEqual([
      ['x1', 'crashed: attempt 2'],
      ['x2', 'corrupt: not a PDF'],
    ]);
    // A late word from a finished delivery changes nothing.
    expect(await q.fail(poison, 'again', false)).toBe('stale');
    expect(await q.complete(poison, result)).toBe(false);
    expect(await extractions('x2')).toEqual([]);
  });

  it('dead-letters a job whose worker died on every attempt, and an idle worker fails its document once', async () => {
    const q = await start({ queue: 'expired-out', expireInSeconds: 1, maxAttempts: 1 });
    const other = await start({ queue: 'expired-out', expireInSeconds: 1, maxAttempts: 1 });
    await addDocument('k1');
    const id = await q.enqueue('k1');
    expect(await q.claim('doomed')).toMatchObject({ jobId: id, attempt: 1 });
    await waitFor(
      async () => {
        await q.boss.expire();
        return (await q.boss.getJobById(q.queue, id))?.state === 'failed' ? true : undefined;
      },
      60_000,
      'pg-boss to expire the job into the dead letters',
    );
    expect(await q.depth()).toEqual({ pending: 0, running: 0, dead: 1 });
    expect(await Promise.all([q.claim('idle-1'), other.claim('idle-2')])).toEqual([null, null]);
    expect(await doc('k1')).toEqual({
      status: 'failed',
      failure_reason: 'The worker stopped during each of 1 attempts (the job expired).',
    });
    const outcomes = await client.query('SELECT outcome FROM credmate_job_outcomes WHERE job_id = $1', [id]);
    expect(outcomes.rows).toEqual([{ outcome: 'dead' }]);
  });

  it('never lets two competing workers both complete one job', async () => {
    const [a, b] = [await start({ queue: 'competing' }), await start({ queue: 'competing' })];
    const ids = Array.from({ length: 24 }, (_, i) => `c${i}`);
    for (const id of ids) {
      await addDocument(id);
      await a.enqueue(id);
    }
    const work = async (q: PgBossQueue) => {
      const taken: string[] = [];
      for (let job = await q.claim('w'); job; job = await q.claim('w')) {
        expect(await q.complete(job, result)).toBe(true);
        taken.push(job.jobId);
      }
      return taken;
    };
    const [byA, byB] = await Promise.all([work(a), work(b)]);
    expect(byA.filter((id) => byB.includes(id))).toEqual([]);
    expect(byA.length + byB.length).toBe(ids.length);
    const rows = await client.query<{ n: number; jobs: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT job_id)::int AS jobs FROM standin_extractions WHERE document_id LIKE 'c%'",
    );
    expect(rows.rows[0]).toEqual({ n: ids.length, jobs: ids.length });

    // The same delivery completed by two processes at once (a duplicated message): one write wins.
    await addDocument('dup');
    await a.enqueue('dup');
    const lease = (await a.claim('w'))!;
    const both = await Promise.all([a.complete(lease, result), b.complete(lease, result)]);
    expect(both.sort()).toEqual([false, true]);
    expect(await extractions('dup')).toHaveLength(1);
  });

  it("rejects a stale worker's result after its job expired and was delivered to another worker", async () => {
    const q = await start({ queue: 'expiry', expireInSeconds: 1 });
    const other = await start({ queue: 'expiry', expireInSeconds: 1 });
    await addDocument('e1');
    const id = await q.enqueue('e1');
    const stale = (await q.claim('worker-a'))!;
    expect(await q.renew(stale)).toBe(true);
    // pg-boss expires a job in its maintenance (every instance offers to run it); run that step now.
    await waitFor(
      async () => {
        await q.boss.expire();
        return (await q.boss.getJobById(q.queue, id))?.state === 'retry' ? true : undefined;
      },
      60_000,
      'pg-boss to expire the job',
    );
    expect(await q.renew(stale)).toBe(false);
    expect(await q.complete(stale, result)).toBe(false);

    const fresh = await claimDue(other, 'the expired job delivered again');
    expect(fresh).toMatchObject({ jobId: id, fencingToken: 2, attempt: 2 });
    // The job is active again, as pg-boss's own complete() would accept: the fence refuses the old delivery.
    expect(await q.complete(stale, result)).toBe(false);
    expect(await q.fail(stale, 'late', false)).toBe('stale');
    expect(await other.renew(fresh)).toBe(true);
    expect(await other.complete(fresh, result)).toBe(true);
    expect(await extractions('e1')).toEqual([{ job_id: id, fencing_token: 2 }]);
    expect(await q.complete(stale, result)).toBe(false);
  });
});
