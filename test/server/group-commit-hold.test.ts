import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../server/db/group-commit';
import { databasePath, openDatabase, type Db } from '../../server/db/open';

const turn = () => new Promise((r) => setTimeout(r, 20));

/**
 * Durable writes that arrive while a WAL fsync runs are held and committed together when it ends
 * (they could not be answered before the next fsync anyway); a registration-like non-durable write
 * is never held. Answers still come only after an fsync that started after the write's commit.
 */
describe('group commit while an fsync runs', () => {
  const open: Db[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const setup = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-gc-hold-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    open.push(db);
    db.exec('CREATE TABLE t (v TEXT)');
    const reader = new Database(databasePath(dir), { readonly: true });
    open.push(reader);
    const syncs: Array<() => void> = [];
    const fails: Array<(err: Error) => void> = [];
    const writes = new GroupCommit(
      db,
      () =>
        new Promise<void>((resolve, reject) => {
          syncs.push(resolve);
          fails.push(reject);
        }),
    );
    const seen = () => reader.prepare('SELECT v FROM t ORDER BY v').pluck().all();
    const insert = (v: string) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes;
    return { writes, syncs, fails, seen, insert };
  };

  it('commits the durable writes of one fsync together after it, and answers them after the next', async () => {
    const { writes, syncs, seen, insert } = setup();
    const answered: string[] = [];
    const write = (v: string) => writes.run(insert(v)).then(() => answered.push(v));
    const a = write('a');
    await turn();
    expect(seen()).toEqual(['a']);
    expect(syncs).toHaveLength(1);
    // Two turns apart, during the fsync: held, not yet committed.
    const b = write('b');
    await turn();
    const c = write('c');
    await turn();
    expect(seen()).toEqual(['a']);
    syncs[0]!();
    await a;
    await turn();
    // Committed together when that fsync ended, and one fsync started for both.
    expect(seen()).toEqual(['a', 'b', 'c']);
    expect(syncs).toHaveLength(2);
    expect(answered).toEqual(['a']);
    syncs[1]!();
    await Promise.all([b, c]);
    expect(answered).toEqual(['a', 'b', 'c']);
  });

  it('never holds a non-durable write, nor the durable ones in its group', async () => {
    const { writes, syncs, seen, insert } = setup();
    const a = writes.run(insert('a'));
    await turn();
    expect(syncs).toHaveLength(1);
    const b = writes.run(insert('b'));
    const r = writes.run(insert('r'), { durable: false });
    await r;
    expect(seen()).toEqual(['a', 'b', 'r']);
    syncs[0]!();
    await a;
    await turn();
    expect(syncs).toHaveLength(2);
    syncs[1]!();
    await b;
  });

  it('a failed fsync fails the writes it covered; the held ones commit and are answered after the next', async () => {
    const { writes, syncs, fails, seen, insert } = setup();
    const a = writes.run(insert('a'));
    await turn();
    const b = writes.run(insert('b'));
    await turn();
    expect(seen()).toEqual(['a']);
    fails[0]!(new Error('EIO'));
    await expect(a).rejects.toThrow('EIO');
    await turn();
    expect(seen()).toEqual(['a', 'b']);
    syncs[1]!();
    await expect(b).resolves.toBe(1);
  });
});
