import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../main/core/db/migrations';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

function tables(db: Database.Database): string[] {
  return (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);
}

describe('migration 001 (queue)', () => {
  it('creates batches, files, uploads and parts, and records version 1', () => {
    const db = new Database(`${tmp.dir}/m1.sqlite`);
    expect(runMigrations(db, 1)).toBe(1);
    for (const t of ['batches', 'files', 'uploads', 'parts']) expect(tables(db)).toContain(t);
    expect(tables(db)).not.toContain('documents');
    const partCols = (db.prepare('PRAGMA table_info(parts)').all() as { name: string }[]).map((c) => c.name);
    expect(partCols).toEqual(['file_id', 'part_number', 'size_bytes', 'etag', 'state']);
    db.close();
  });

  it('enforces one row per (file, part number)', () => {
    const db = new Database(`${tmp.dir}/m1b.sqlite`);
    db.pragma('foreign_keys = ON');
    runMigrations(db, 1);
    db.prepare("INSERT INTO batches (id, name, created_at) VALUES ('b', 'B', 'now')").run();
    db.prepare(
      "INSERT INTO files (id, batch_id, path, rel_path, file_name, size_bytes, mtime_ms, sha256, state, created_at, updated_at) VALUES ('f', 'b', '/x', 'x', 'x', 1, 1, 's', 'queued', 'now', 'now')",
    ).run();
    const ins = db.prepare("INSERT INTO parts (file_id, part_number, size_bytes, state) VALUES ('f', 1, 1, 'pending')");
    ins.run();
    expect(() => ins.run()).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare("INSERT INTO parts (file_id, part_number, size_bytes, state) VALUES ('nope', 1, 1, 'pending')").run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('is not applied twice', () => {
    const db = new Database(`${tmp.dir}/m1c.sqlite`);
    runMigrations(db, 1);
    expect(runMigrations(db, 1)).toBe(1);
    db.close();
  });
});
