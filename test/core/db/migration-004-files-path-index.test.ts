import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../main/core/db/migrations';
import { QueueStore } from '../../../main/core/db/queue-store';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

describe('migration 004 (files path index)', () => {
  it('lets a version-3 queue answer knownSha256 from an index, with the same answers as before', () => {
    const db = new Database(`${tmp.dir}/m4.sqlite`);
    runMigrations(db, 3);
    const store = new QueueStore(db);
    const batch = store.createBatch('b');
    store.addFiles(batch.id, [
      { path: '/f/a.pdf', relPath: 'a.pdf', fileName: 'a.pdf', sizeBytes: 10, mtimeMs: 5, sha256: 'old', pages: 1 },
      { path: '/f/a.pdf', relPath: 'a.pdf', fileName: 'a.pdf', sizeBytes: 10, mtimeMs: 5, sha256: 'new', pages: 1 },
      { path: '/f/b.pdf', relPath: 'b.pdf', fileName: 'b.pdf', sizeBytes: 20, mtimeMs: 6, sha256: 'bbb', pages: 1 },
    ]);
    expect(runMigrations(db, 4)).toBe(4);
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT sha256 FROM files WHERE path = ? AND size_bytes = ? AND mtime_ms = ? ORDER BY seq DESC LIMIT 1',
      )
      .all('/f/a.pdf', 10, 5) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('files_path');
    // The latest entry for the path wins; another size or mtime is another version of the file.
    expect(store.knownSha256('/f/a.pdf', 10, 5)).toBe('new');
    expect(store.knownSha256('/f/a.pdf', 10, 6)).toBeNull();
    expect(store.knownSha256('/f/b.pdf', 20, 6)).toBe('bbb');
    db.close();
  });
});
