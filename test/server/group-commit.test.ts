import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../server/db/group-commit';
import { databasePath, openDatabase, type Db } from '../../server/db/open';

describe('group commit', () => {
  const open: Db[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const setup = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-gc-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    open.push(db);
    db.exec('CREATE TABLE t (v TEXT)');
    const reader = new Database(databasePath(dir), { readonly: true });
    open.push(reader);
    return { db, reader, writes: new GroupCommit(db) };
  };
  // The sync level the commit runs at, as seen inside the group's transaction (2 = FULL, 1 = NORMAL).
  const insert = (db: Db, v: string) => () => {
    db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
    return db.pragma('synchronous', { simple: true });
  };

  it('commits a group of non-durable writes without the fsync, and goes back to FULL after', async () => {
    const { db, reader, writes } = setup();
    const levels = await Promise.all([writes.run(insert(db, 'a'), { durable: false }), writes.run(insert(db, 'b'), { durable: false })]);
    expect(levels).toEqual([1, 1]);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(reader.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['a', 'b']);
  });

  it('commits with the fsync when one write of the group is durable, and a failing write fails alone', async () => {
    const { db, reader, writes } = setup();
    const failing = writes.run(() => db.prepare('INSERT INTO missing_table (v) VALUES (1)').run(), { durable: false });
    const levels = await Promise.all([writes.run(insert(db, 'x'), { durable: false }), writes.run(insert(db, 'y'))]);
    await expect(failing).rejects.toThrow(/missing_table/);
    expect(levels).toEqual([2, 2]);
    expect(reader.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['x', 'y']);
  });
});
