/**
 * The change feed (server/documents/document-store.ts) on both databases: document writes from two
 * connections at once take sequence numbers with no gap and no repeat (a rolled-back write gives
 * its number back), and paging changesSince returns each document's newest change once, in
 * strictly increasing order, deletes as tombstones. On PostgreSQL, a writer that has taken a number
 * holds back every later writer until it commits, so a reader never sees N+1 before N.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  announceDocument,
  changesSince,
  insertDocument,
  removeDocuments,
  setDocumentStatus,
  type NewDocument,
} from '../../../server/documents/document-store';
import { runUnitOnPostgres, affected, first, type Unit } from '../../../server/db/units';
import { unitsFor, type UnitRunner } from '../../../server/db/unit-runner';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';
import { waitFor } from '../../helpers/upload-client';

const ORGS = ['org-a', 'org-b'];

function newDocument(id: string, orgId: string): NewDocument {
  return {
    id,
    orgId,
    batchId: null,
    uploadId: `u-${id}`,
    fileName: `${id}.pdf`,
    sizeBytes: 10,
    sha256: crypto.randomBytes(32).toString('hex'),
    sha256VerifiedAt: new Date().toISOString(),
    provider: null,
    objectKey: `docs/${id}.pdf`,
  };
}

/** The sequence number the write just took, read inside its own transaction. */
function* seqOf(id: string): Unit<number> {
  const doc = yield* first((q) => q.selectFrom('documents').select('change_seq').where('id', '=', id));
  if (doc) return doc.change_seq;
  const gone = yield* first((q) =>
    q.selectFrom('document_tombstones').select('change_seq').where('document_id', '=', id),
  );
  return gone!.change_seq;
}

function* inserted(d: NewDocument): Unit<number> {
  yield* insertDocument(d);
  return yield* seqOf(d.id);
}

function* moved(id: string): Unit<number> {
  yield* setDocumentStatus(id, 'processing', { processingStartedAt: Date.now() });
  return yield* seqOf(id);
}

function* announced(id: string): Unit<number> {
  return (yield* announceDocument(id))!;
}

function* removed(orgId: string, id: string): Unit<number> {
  yield* removeDocuments(orgId, [id]);
  return yield* seqOf(id);
}

/** Takes a number, then fails: the transaction rolls back and the number is given again. */
function* rolledBack(id: string): Unit<number> {
  yield* setDocumentStatus(id, 'failed', { failureReason: 'never committed' });
  throw new Error('rolled back on purpose');
}

/** Every page of an organisation's feed from the start, `limit` changes a page. */
async function readFeed(units: UnitRunner, orgId: string, limit: number) {
  const seen: Array<{ seq: number; id: string; deleted: boolean }> = [];
  let cursor = 0;
  for (;;) {
    const page = await units.read(() => changesSince(orgId, cursor, limit));
    seen.push(...page.changes.map((c) => ({ seq: c.seq, id: c.id, deleted: c.row === null })));
    if (page.changes.length) cursor = page.changes.at(-1)!.seq;
    if (!page.hasMore) return seen;
  }
}

describe.each(DATABASE_KINDS)('the change feed on %s', (kind) => {
  let t: TestServerDatabase;
  afterEach(async () => t?.cleanup());

  it('numbers concurrent writes of two connections with no gap, and pages each change once in order', async () => {
    t = await openTestServerDatabase(kind);
    const [a, b] = [unitsFor(t.database), unitsFor(await t.openAnother())];
    for (const id of ORGS)
      await a.write(() => affected((q) => q.insertInto('organizations').values({ id, name: id, created_at: '' })));
    const docs = Array.from({ length: 24 }, (_, i) => newDocument(`d${i}`, ORGS[i % 2]!));
    const on = (i: number) => (i % 3 ? a : b);

    const seqs = await Promise.all(docs.map((d, i) => on(i).write(() => inserted(d))));
    // Then, all at once: status changes, announcements, deletes, and writes that roll back.
    const outcomes = await Promise.allSettled(
      docs.flatMap((d, i) => [
        on(i + 1).write(() => (i % 4 === 0 ? removed(d.orgId, d.id) : moved(d.id))),
        on(i).write(() => (i % 5 === 0 ? rolledBack(d.id) : announced(d.id))),
      ]),
    );
    const failed = outcomes.filter((o) => o.status === 'rejected');
    // The announce of a document deleted first finds nothing (null): only the rolled-back writes fail.
    for (const o of failed) expect(String((o as PromiseRejectedResult).reason)).toMatch(/rolled back on purpose|null/);
    for (const o of outcomes) if (o.status === 'fulfilled' && o.value !== null) seqs.push(o.value);

    // Gapless: every committed write took the next number, each once; the rolled-back ones gave theirs back.
    const committed = seqs.filter((s): s is number => typeof s === 'number').sort((x, y) => x - y);
    expect(committed).toEqual(Array.from({ length: committed.length }, (_, i) => i + 1));
    const counter = await a.read(() =>
      first((q) => q.selectFrom('counters').select('value').where('name', '=', 'change_seq')),
    );
    expect(counter!.value).toBe(committed.length);

    for (const orgId of ORGS) {
      const feed = await readFeed(b, orgId, 5);
      const ofOrg = docs.filter((d) => d.orgId === orgId);
      // Each document once, at its newest change; deleted ones as tombstones only.
      expect(feed.map((c) => c.id).sort()).toEqual(ofOrg.map((d) => d.id).sort());
      for (let i = 1; i < feed.length; i++) expect(feed[i]!.seq).toBeGreaterThan(feed[i - 1]!.seq);
      const deleted = ofOrg.filter((d) => Number(d.id.slice(1)) % 4 === 0).map((d) => d.id);
      expect(
        feed
          .filter((c) => c.deleted)
          .map((c) => c.id)
          .sort(),
      ).toEqual(deleted.sort());
      const newest = await a.read(() => readNewest(ofOrg.map((d) => d.id)));
      expect(new Map(feed.map((c) => [c.id, c.seq]))).toEqual(newest);
    }
  });
});

/** Each document's current number: its row's, or its tombstone's once deleted. */
function* readNewest(ids: string[]): Unit<Map<string, number>> {
  const out = new Map<string, number>();
  for (const id of ids) out.set(id, yield* seqOf(id));
  return out;
}

describe('the change feed on postgres, across processes', () => {
  let t: TestServerDatabase;
  afterEach(async () => t?.cleanup());

  it('holds a later writer back until the writer holding an earlier number commits', async () => {
    t = await openTestServerDatabase('postgres');
    if (t.database.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const first_ = t.database.db;
    const other = await t.openAnother();
    if (other.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const units = unitsFor(t.database);
    await units.write(() =>
      affected((q) => q.insertInto('organizations').values({ id: 'org-a', name: 'A', created_at: '' })),
    );
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let tookNumber!: () => void;
    const took = new Promise<void>((r) => (tookNumber = r));
    // Process A takes number 1 and keeps its transaction open.
    const holding = first_.transaction().execute(async (trx) => {
      await runUnitOnPostgres(trx, insertDocument(newDocument('early', 'org-a')));
      tookNumber();
      await gate;
    });
    await took;
    // Process B writes meanwhile: it must wait for A's commit to take number 2.
    const later = unitsFor(other).write(() => inserted(newDocument('late', 'org-a')));
    await waitFor(
      async () => {
        const waiting = await other.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        return waiting.rows[0]!.n > 0 ? true : undefined;
      },
      60_000,
      'the second writer to wait on the counter row',
    );
    // Nothing is visible yet: in particular not a number 2 before number 1.
    expect((await units.read(() => changesSince('org-a', 0, 10))).changes).toEqual([]);
    release();
    await holding;
    expect(await later).toBe(2);
    const feed = await readFeed(units, 'org-a', 10);
    expect(feed.map((c) => [c.id, c.seq])).toEqual([
      ['early', 1],
      ['late', 2],
    ]);
  });
});
