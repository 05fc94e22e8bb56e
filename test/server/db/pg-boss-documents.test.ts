/**
 * The PostgreSQL deployment's queue (pg-boss) writes the central database's documents through the
 * same document-store units as the embedded queue: a claim sets the document processing, a result
 * is recorded once (a stale delivery's and a duplicated complete's are refused by the fence), a
 * dead letter fails the document, and each change is on the change feed. Real pg-boss, real
 * documents (the job written with its document, handed over by the outbox).
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { unitsFor, type UnitRunner } from '../../../server/db/unit-runner';
import { affected, first, rows } from '../../../server/db/units';
import { changesSince, insertDocument } from '../../../server/documents/document-store';
import { JobOutbox } from '../../../server/jobs/job-outbox';
import type { ExtractionResultRecord } from '../../../server/jobs/job-queue';
import { PgBossQueue } from '../../../server/jobs/pg-boss-queue';
import { enqueueJob } from '../../../server/jobs/queue';
import { createLogger } from '../../../server/log';
import { openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';
import { waitFor } from '../../helpers/upload-client';

const log = createLogger('error', { component: 'test' });
const result: ExtractionResultRecord = {
  pipelineVersion: 't',
  resultJson: '{"pages":1}',
  pages: 1,
  docType: 'license',
  docTypeConfidence: 0.9,
  minConfidence: 0.8,
  meanConfidence: 0.85,
  expirationDate: '2030-01-01',
};

describe('pg-boss jobs on the central documents', () => {
  let t: TestServerDatabase;
  const queues: PgBossQueue[] = [];
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop();
    await t?.cleanup();
  });

  async function setUp() {
    t = await openTestServerDatabase('postgres');
    if (t.database.kind !== 'postgres' || !t.databaseUrl) throw new Error('expected PostgreSQL');
    const units = unitsFor(t.database);
    await units.write(() =>
      affected((q) => q.insertInto('organizations').values({ id: 'org', name: 'Org', created_at: '' })),
    );
    const start = async () => {
      const q = await PgBossQueue.start({
        connectionString: t.databaseUrl!,
        maxAttempts: 3,
        backoffBaseSeconds: 1,
        expireInSeconds: 300,
      });
      queues.push(q);
      return q;
    };
    const [a, b] = [await start(), await start()];
    const outbox = new JobOutbox(t.database.db, a, log);
    /** An uploaded document and its job, in one write, handed to pg-boss; the job's number. */
    const upload = async (id: string) => {
      const jobNumber = await units.write(function* () {
        yield* insertDocument({
          id,
          orgId: 'org',
          batchId: null,
          uploadId: `u-${id}`,
          fileName: `${id}.pdf`,
          sizeBytes: 1234,
          sha256: crypto.randomBytes(32).toString('hex'),
          sha256VerifiedAt: new Date().toISOString(),
          provider: null,
          objectKey: `docs/${id}.pdf`,
        });
        return yield* enqueueJob(id, 3);
      });
      expect(await outbox.relayAll()).toBe(1);
      return jobNumber;
    };
    return { units, a, b, upload };
  }

  const doc = (units: UnitRunner, id: string) =>
    units.read(() =>
      first((q) =>
        q.selectFrom('documents').select(['status', 'failure_reason', 'doc_type', 'change_seq']).where('id', '=', id),
      ),
    );
  const extractions = (units: UnitRunner, id: string) =>
    units.read(() =>
      rows((q) => q.selectFrom('extractions').select(['job_id', 'fencing_token']).where('document_id', '=', id)),
    );

  it('claims, refuses the stale and the duplicated result, records the fresh one once, on the feed', async () => {
    const { units, a, b, upload } = await setUp();
    const jobNumber = await upload('d1');
    const stale = (await a.claim('w1'))!;
    expect(stale).toMatchObject({ documentId: 'd1', fencingToken: 1, objectKey: 'docs/d1.pdf', sizeBytes: 1234 });
    expect(await doc(units, 'd1')).toMatchObject({ status: 'processing' });

    expect(await a.fail(stale, 'timeout: slow page', false)).toBe('retry');
    const fresh = await waitFor(async () => (await b.claim('w2')) ?? undefined, 60_000, 'the retry to come due');
    expect(fresh).toMatchObject({ jobId: stale.jobId, fencingToken: 2 });
    expect(await a.complete(stale, result)).toBe(false);
    // The same delivery completed by two processes at once: one write wins.
    expect((await Promise.all([a.complete(fresh, result), b.complete(fresh, result)])).sort()).toEqual([false, true]);

    expect(await extractions(units, 'd1')).toEqual([{ job_id: jobNumber, fencing_token: 2 }]);
    const after = (await doc(units, 'd1'))!;
    expect(after).toMatchObject({ status: 'review_pending', doc_type: 'license' });
    const feed = await units.read(() => changesSince('org', 0, 10));
    expect(feed.changes.map((c) => [c.id, c.seq])).toEqual([['d1', after.change_seq]]);
  });

  it('fails the document of a dead-lettered job with its error', async () => {
    const { units, a, upload } = await setUp();
    await upload('p1');
    const job = (await a.claim('w'))!;
    expect(await a.fail(job, 'corrupt: not a PDF', true)).toBe('dead');
    expect(await doc(units, 'p1')).toMatchObject({ status: 'failed', failure_reason: 'corrupt: not a PDF' });
    expect(await extractions(units, 'p1')).toEqual([]);
    expect(await a.depth()).toEqual({ pending: 0, running: 0, dead: 1 });
  });
});
