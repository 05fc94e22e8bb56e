import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../server/db/group-commit';
import { BUSY_TIMEOUT_MS, databasePath, openDatabase, type Db } from '../../server/db/open';

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

  it('commits a group of non-durable writes and answers without waiting for the WAL fsync', async () => {
    const syncs: Array<() => void> = [];
    const { db, reader } = setup();
    const writes = new GroupCommit(db, () => new Promise<void>((resolve) => syncs.push(resolve)));
    await Promise.all([
      writes.run(insert(db, 'a'), { durable: false }),
      writes.run(insert(db, 'b'), { durable: false }),
    ]);
    expect(syncs).toHaveLength(0);
    expect(reader.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['a', 'b']);
  });

  it('answers a durable write only after a WAL fsync that started after its commit', async () => {
    const syncs: Array<() => void> = [];
    const { db, reader } = setup();
    const writes = new GroupCommit(db, () => new Promise<void>((resolve) => syncs.push(resolve)));
    let firstDone = false;
    const first = writes.run(insert(db, 'x')).then((level) => ((firstDone = true), level));
    await new Promise((r) => setTimeout(r, 20));
    // Committed (a reader sees it) and syncing, but not answered.
    expect(reader.prepare('SELECT v FROM t').pluck().all()).toEqual(['x']);
    expect(syncs).toHaveLength(1);
    expect(firstDone).toBe(false);
    // A write committed while that fsync runs needs the next one.
    let secondDone = false;
    const second = writes.run(insert(db, 'y')).then(() => (secondDone = true));
    await new Promise((r) => setTimeout(r, 20));
    syncs[0]!();
    expect(await first).toBe(1); // the commit itself runs without SQLite's own fsync
    expect(secondDone).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(syncs).toHaveLength(2);
    syncs[1]!();
    await second;
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('a failing write fails alone; a failed fsync fails the durable writes it covered', async () => {
    const { db, reader } = setup();
    let fail = true;
    const writes = new GroupCommit(db, async () => {
      if (fail) throw new Error('EIO');
    });
    const failing = writes.run(() => db.prepare('INSERT INTO missing_table (v) VALUES (1)').run(), { durable: false });
    const results = await Promise.allSettled([
      writes.run(insert(db, 'p'), { durable: false }),
      writes.run(insert(db, 'q')),
    ]);
    await expect(failing).rejects.toThrow(/missing_table/);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    fail = false;
    await writes.run(insert(db, 'r'));
    expect(reader.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['p', 'q', 'r']);
  });

  const busyWait = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };

  it('commits a group early once its first write has waited 2 ms in a busy turn', () => {
    const { db, reader, writes } = setup();
    void writes.run(insert(db, 'first'), { durable: false });
    busyWait(3);
    void writes.run(insert(db, 'second'), { durable: false });
    // Committed inside this turn (no await yet, so no setImmediate ran): the reader sees both.
    expect(reader.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['first', 'second']);
    return writes.close();
  });

  it('answers a durable write as soon as the sync thread has finished, without its message (the loop stays busy)', async () => {
    const { db, writes } = setup();
    let answered = false;
    void writes.run(insert(db, 'a')).then(() => (answered = true));
    busyWait(3);
    void writes.run(insert(db, 'b')); // flushes the group: its fsync starts
    // No macrotask runs from here on (only microtasks), so the thread's message cannot be read:
    // the answer can only come from a later write's look at the shared flag.
    for (let i = 0; i < 5000 && !answered; i++) {
      busyWait(1);
      void writes.run(() => 0, { durable: false });
      for (let hop = 0; hop < 20; hop++) await null;
    }
    expect(answered).toBe(true);
    await writes.close();
  });

  it("waits for another connection's write lock without blocking the event loop, then commits", async () => {
    const { db, reader } = setup();
    const writes = new GroupCommit(db, async () => undefined);
    // A worker process's transaction holds the write lock (here a second connection on this thread:
    // a flush that slept in SQLite's busy handler would hold the loop until busy_timeout and fail).
    const worker = new Database(db.name);
    open.push(worker);
    worker.exec('BEGIN IMMEDIATE');
    worker.prepare('INSERT INTO t (v) VALUES (?)').run('from the worker');
    let settled = false;
    const write = writes.run(insert(db, 'from the API')).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    expect(reader.prepare('SELECT v FROM t').pluck().all()).toEqual([]);
    worker.exec('COMMIT');
    expect(await write).toBe(1);
    expect(reader.prepare('SELECT v FROM t ORDER BY rowid').pluck().all()).toEqual(['from the worker', 'from the API']);
    // The connection's own writes outside the group still wait for a lock as before.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
  });

  it('by default fsyncs the real WAL file', async () => {
    const { db, reader } = setup();
    const writes = new GroupCommit(db);
    await writes.run(insert(db, 'z'));
    await writes.close();
    expect(reader.prepare('SELECT v FROM t').pluck().all()).toEqual(['z']);
  });

  it('keeps a large savepoint journal in memory instead of a temp file per commit', async () => {
    const { db } = setup();
    db.exec('CREATE TABLE big (id INTEGER PRIMARY KEY, body BLOB)');
    const fill = db.prepare('INSERT INTO big (body) VALUES (?)');
    for (let i = 0; i < 100; i++) fill.run(Buffer.alloc(3000, i));
    // SQLite's temp files are unlinked at once: an open one shows as "<tmpdir>/etilqs_… (deleted)".
    const openTempFiles = () =>
      fs.readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          return /etilqs_/.test(fs.readlinkSync(`/proc/self/fd/${fd}`)) ? [fd] : [];
        } catch {
          return []; // closed meanwhile
        }
      });
    const seen = await new GroupCommit(db, async () => undefined).run(() => {
      // Rewrites ~100 pages inside the item's savepoint: ~400 KB of journal, past SQLite's 64 KiB spill size.
      db.prepare('UPDATE big SET body = zeroblob(3000)').run();
      return openTempFiles();
    });
    expect(seen).toEqual([]);
  });
  it('refuses the whole group, and commits none of it, when one write rolls back the group (disk full)', async () => {
    const { db, reader } = setup();
    const writes = new GroupCommit(db, () => Promise.resolve());
    // Leave room for one more page only: a write of many pages fills the database.
    db.exec('CREATE TABLE big (v BLOB)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 1}`);
    const fill = () => db.prepare('INSERT INTO big (v) VALUES (?)').run(Buffer.alloc(64 * 1024));
    const outcomes = await Promise.allSettled([
      writes.run(insert(db, 'before'), { durable: false }),
      writes.run(fill, { durable: false }),
      writes.run(insert(db, 'after'), { durable: false }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(reader.prepare('SELECT v FROM t').pluck().all()).toEqual([]);
    expect(db.inTransaction).toBe(false);
    // The connection goes on: the next group commits.
    db.pragma('max_page_count = 1073741823');
    await writes.run(insert(db, 'next'), { durable: false });
    expect(reader.prepare('SELECT v FROM t').pluck().all()).toEqual(['next']);
  });
});
