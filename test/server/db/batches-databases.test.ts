import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../../server/accounts';
import type { KyselyPlugin } from 'kysely';
import { batchStats, getOwnBatch, listBatchStats, listBatches } from '../../../server/batches/batch-stats';
import type { ServerDatabase } from '../../../server/db/open-query-db';
import { documentRow } from '../../support/document-rows';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

describe.each(DATABASE_KINDS)('batches on %s', (kind) => {
  let t: TestServerDatabase;
  let database: ServerDatabase;
  let orgId: string;
  let otherOrgId: string;

  const addBatch = async (org: string, name: string, createdAt: string) => {
    const id = crypto.randomUUID();
    await database.db
      .insertInto('batches')
      .values({ id, org_id: org, name, expected_files: null, created_by: null, created_at: createdAt })
      .execute();
    return id;
  };

  // A document as the worker leaves it; processing times in epoch ms, as the documents module writes them.
  const addDocument = async (
    batchId: string,
    status: string,
    opts: { startedAt?: number; finishedAt?: number; meanConfidence?: number } = {},
  ) => {
    await database.db
      .insertInto('documents')
      .values(
        documentRow({
          org_id: orgId,
          batch_id: batchId,
          status,
          mean_confidence: opts.meanConfidence ?? null,
          processing_started_at: opts.startedAt ?? null,
          processing_finished_at: opts.finishedAt ?? null,
        }),
      )
      .execute();
  };

  beforeAll(async () => {
    t = await openTestServerDatabase(kind);
    database = t.database;
    ({ orgId } = await addUser(database.db, {
      org: 'Clinic A',
      email: 'a@clinic.test',
      password: 'a-long-password',
      role: 'admin',
    }));
    ({ orgId: otherOrgId } = await addUser(database.db, {
      org: 'Clinic B',
      email: 'b@clinic.test',
      password: 'a-long-password',
      role: 'admin',
    }));
  });
  afterAll(() => t.cleanup());

  it('counts by status, success rate, mean processing time of finished documents and mean confidence', async () => {
    const id = await addBatch(orgId, 'import 1', '2026-01-01T00:00:00.000Z');
    const T = 1_780_000_000_000;
    await addDocument(id, 'review_pending', { startedAt: T, finishedAt: T + 1000, meanConfidence: 0.9 });
    await addDocument(id, 'approved', { startedAt: T, finishedAt: T + 3000, meanConfidence: 0.7 });
    // A failure's time is not a processing time; its confidence (none) is left out of the mean.
    await addDocument(id, 'failed', { startedAt: T, finishedAt: T + 60_000 });
    await addDocument(id, 'uploaded');
    const s = await batchStats(database.db, await getOwnBatch(database.db, orgId, id));
    expect(s).toMatchObject({ id, name: 'import 1', createdAt: '2026-01-01T00:00:00.000Z', total: 4 });
    expect(s.counts).toMatchObject({ review_pending: 1, approved: 1, failed: 1, uploaded: 1, processing: 0 });
    expect(s.successRate).toBeCloseTo(2 / 3, 10);
    expect(s.meanProcessingMs).toBe(2000);
    expect(s.meanConfidence).toBeCloseTo(0.8, 10);
  });

  it('answers an empty batch with zero counts and no means', async () => {
    const id = await addBatch(orgId, 'empty', '2026-01-02T00:00:00.000Z');
    const s = await batchStats(database.db, await getOwnBatch(database.db, orgId, id));
    expect(s).toMatchObject({ total: 0, successRate: null, meanProcessingMs: null, meanConfidence: null });
    expect(Object.values(s.counts).every((n) => n === 0)).toBe(true);
  });

  it("lists an organisation's batches newest first, within the limit, and hides another organisation's", async () => {
    const newest = await addBatch(orgId, 'newest', '2026-03-01T00:00:00.000Z');
    const foreign = await addBatch(otherOrgId, 'theirs', '2026-04-01T00:00:00.000Z');
    const all = await listBatches(database.db, orgId);
    expect(all.map((b) => b.name)).toEqual(['newest', 'empty', 'import 1']);
    expect((await listBatches(database.db, orgId, 1)).map((b) => b.id)).toEqual([newest]);
    await expect(getOwnBatch(database.db, orgId, foreign)).rejects.toMatchObject({
      kind: 'not_found',
      message: `No batch ${foreign}.`,
    });
  });

  it("answers the list's figures in a fixed number of reads, not two per batch, each batch its own", async () => {
    const T = 1_780_000_000_000;
    const busy = await addBatch(orgId, 'busy', '2026-05-01T00:00:00.000Z');
    await addDocument(busy, 'approved', { startedAt: T, finishedAt: T + 500, meanConfidence: 0.5 });
    await addDocument(busy, 'failed');
    let reads = 0;
    // Counts every statement the list runs (a plugin sees each query Kysely compiles).
    const counting: KyselyPlugin = {
      transformQuery: ({ node }) => {
        reads++;
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    const listed = await listBatchStats(database.db.withPlugin(counting), orgId);
    expect(reads).toBeLessThanOrEqual(3);
    expect(listed.map((b) => b.name)).toEqual(['busy', 'newest', 'empty', 'import 1']);
    const one = async (id: string) => batchStats(database.db, await getOwnBatch(database.db, orgId, id));
    expect(listed).toEqual(await Promise.all(listed.map((b) => one(b.id))));
    expect(listed[0]).toMatchObject({ total: 2, successRate: 0.5, meanProcessingMs: 500, meanConfidence: 0.5 });
    expect(listed[3]).toMatchObject({ total: 4, meanProcessingMs: 2000 });
  });
});
