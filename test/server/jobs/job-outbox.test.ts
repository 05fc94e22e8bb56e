/**
 * The PostgreSQL deployment's job outbox on real pg-boss and a real (throwaway) PostgreSQL: job rows
 * written with their documents reach pg-boss exactly once, also when two API processes relay at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/log';
import { JobOutbox } from '../../../server/jobs/job-outbox';
import { PgBossQueue } from '../../../server/jobs/pg-boss-queue';
import { unitsFor } from '../../../server/db/unit-runner';
import { affected, rows } from '../../../server/db/units';
import { enqueueJob } from '../../../server/jobs/queue';
import { documentRow } from '../../support/document-rows';
import { openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

const log = createLogger('error', { component: 'test' });
const noDocuments = {
  claimed: async () => ({ objectKey: 'k', sizeBytes: 1, sha256: 'x' }),
  completed: async () => undefined,
  deadLettered: async () => undefined,
};

describe('the job outbox on PostgreSQL', () => {
  let t: TestServerDatabase;
  const queues: PgBossQueue[] = [];
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop();
    await t?.cleanup();
  });

  it('hands each job written with its document to pg-boss once, with two relays racing', async () => {
    t = await openTestServerDatabase('postgres');
    if (t.database.kind !== 'postgres' || !t.databaseUrl) throw new Error('expected PostgreSQL');
    const units = unitsFor(t.database);
    const ids = Array.from({ length: 230 }, (_, i) => `doc-${i}`);
    await units.write(function* () {
      yield* affected((q) =>
        q.insertInto('organizations').values({ id: 'org', name: 'Org', created_at: new Date().toISOString() }),
      );
      for (const id of ids) {
        yield* affected((q) =>
          q.insertInto('documents').values(documentRow({ id, org_id: 'org', status: 'uploaded' })),
        );
        yield* enqueueJob(id, 3);
      }
    });
    const options = {
      connectionString: t.databaseUrl,
      documents: noDocuments,
      maxAttempts: 3,
      backoffBaseSeconds: 1,
      expireInSeconds: 300,
    };
    const [q1, q2] = [await PgBossQueue.start(options), await PgBossQueue.start(options)];
    queues.push(q1, q2);
    const other = await t.openAnother();
    const relayed = await Promise.all([
      new JobOutbox(t.database.db, q1, log).relayAll(),
      new JobOutbox(other.db, q2, log).relayAll(),
    ]);
    expect(relayed[0] + relayed[1]).toBe(ids.length);
    expect(await units.read(() => rows((q) => q.selectFrom('jobs').select('id')))).toEqual([]);
    expect((await q1.depth()).pending).toBe(ids.length);
    const claimed: string[] = [];
    for (let job = await q1.claim('w'); job; job = await q1.claim('w')) claimed.push(job.documentId);
    expect(claimed.sort()).toEqual([...ids].sort());
  });
});
