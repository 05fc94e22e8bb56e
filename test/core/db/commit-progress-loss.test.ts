import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { getClientSetting, setClientSetting } from '../../../main/core/db/client-settings';
import { flushProgress, isGroupLoss, onProgressLost } from '../../../main/core/db/commit-progress';
import { openQueueDb } from '../../../main/core/db/open-queue-db';
import { PartStore } from '../../../main/core/db/part-store';
import { QueueStore, type NewQueueFile } from '../../../main/core/db/queue-store';
import { DocumentsMirror } from '../../../main/core/sync/documents-mirror';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

const file = (i: number): NewQueueFile => ({
  path: `/docs/f${i}.pdf`,
  relPath: `f${i}.pdf`,
  fileName: `f${i}.pdf`,
  sizeBytes: 2000,
  mtimeMs: 1,
  sha256: i.toString(16).padStart(64, '0'),
  pages: 1,
});

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Two files with a two-part upload each, committed; an ETag 'boom' rolls back the whole transaction. */
function setup(name: string): { db: Database.Database; parts: PartStore; a: string; b: string; path: string } {
  const path = `${tmp.dir}/${name}/queue.sqlite`;
  const db = openQueueDb(path);
  const q = new QueueStore(db);
  const [a, b] = q.addFiles(q.createBatch('B').id, [file(1), file(2)]) as [string, string];
  const parts = new PartStore(db);
  parts.beginUpload(a, 2000, 'up-a', 1000, 2);
  parts.beginUpload(b, 2000, 'up-b', 1000, 2);
  flushProgress(db);
  db.exec(`CREATE TRIGGER boom BEFORE UPDATE OF etag ON parts WHEN NEW.etag = 'boom'
           BEGIN SELECT RAISE(ROLLBACK, 'forced rollback'); END`);
  return { db, parts, a, b, path };
}

const etag = (db: Database.Database, id: string, n: number): string | null =>
  (db.prepare('SELECT etag FROM parts WHERE file_id = ? AND part_number = ?').get(id, n) as { etag: string | null })
    .etag;

describe('progress group rolled back by one failing write', () => {
  it('tells the listener, marks the failing write, restores FULL and commits later writes on their own', async () => {
    const { db, parts, a, b } = setup('listener');
    const heard: unknown[] = [];
    onProgressLost(db, (err) => heard.push(err));
    parts.markPartDone(a, 1, 'etag-a1');
    let thrown: unknown;
    try {
      parts.markPartDone(b, 1, 'boom');
    } catch (err) {
      thrown = err;
    }
    expect(String(thrown)).toContain('forced rollback');
    expect(isGroupLoss(thrown)).toBe(true);
    // A's ETag went with the rolled-back transaction: its owner was told (before: no one was).
    expect(heard).toEqual([thrown]);
    expect(etag(db, a, 1)).toBeNull();
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    // The turn's later writes form a new group that commits.
    parts.markPartDone(a, 2, 'etag-a2');
    await nextTurn();
    expect(etag(db, a, 2)).toBe('etag-a2');
    expect(db.inTransaction).toBe(false);
    db.close();
  });

  it('without a listener, the next progress write reports the loss (as a failed commit)', () => {
    const { db, parts, a, b } = setup('nolistener');
    parts.markPartDone(a, 1, 'etag-a1');
    expect(() => parts.markPartDone(b, 1, 'boom')).toThrow('forced rollback');
    // Before: this write committed alone and A's lost ETag was never reported.
    expect(() => parts.markPartDone(a, 2, 'etag-a2')).toThrow('forced rollback');
    db.close();
  });
});

describe('user writes while a progress group is open', () => {
  it('a client setting is committed (visible to a second connection) when setClientSetting returns', () => {
    const { db, parts, a, path } = setup('setting');
    parts.markPartDone(a, 1, 'etag-a1');
    expect(db.inTransaction).toBe(true);
    setClientSetting(db, 'watched_folders', '["/scans"]');
    const other = new Database(path, { readonly: true });
    expect(getClientSetting(other, 'watched_folders')).toBe('["/scans"]');
    expect(etag(other, a, 1)).toBe('etag-a1');
    other.close();
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('a documents page (files set to cancelled) is committed on its own when apply returns', () => {
    const { db, parts, a, path } = setup('mirror');
    parts.markPartDone(a, 1, 'etag-a1');
    new DocumentsMirror(db).apply([], 42, ['gone-doc']);
    const other = new Database(path, { readonly: true });
    expect(new DocumentsMirror(other).cursor()).toBe(42);
    other.close();
    db.close();
  });
});
