import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../main/core/db/migrations';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

describe('migration 002 (documents mirror)', () => {
  it('upgrades a version-1 database that already holds queue rows without touching them', () => {
    const db = new Database(`${tmp.dir}/m2.sqlite`);
    runMigrations(db, 1);
    db.prepare("INSERT INTO batches (id, name, created_at) VALUES ('b', 'B', 'now')").run();
    expect(runMigrations(db, 2)).toBe(2);
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(names).toContain('documents');
    expect(names).toContain('sync_state');
    expect(db.prepare('SELECT count(*) AS n FROM batches').get()).toEqual({ n: 1 });
    db.prepare("INSERT INTO sync_state (key, value) VALUES ('changes_cursor', '7')").run();
    expect(() => db.prepare("INSERT INTO sync_state (key, value) VALUES ('changes_cursor', '8')").run()).toThrow(
      /UNIQUE|PRIMARY/,
    );
    db.close();
  });
});
