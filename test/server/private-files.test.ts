/**
 * Issue 14, finding 12: databases, the queue and logs are owner-only: files 0600 in 0700
 * directories, for the server's data dir (while it runs: SQLite's -wal and -shm too) and the
 * client's queue and bundled-server log, and a database left with loose modes is tightened when
 * opened. Under the usual umask (022) SQLite and fs.open would make them 0644 in 0755.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { queueDbPath, openQueueDb } from '../../main/core/db/open-queue-db';
import { startBundledServer } from '../../main/core/bundled-server/start-bundled-server';
import { databasePath, openDatabase } from '../../server/db/open';

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe('owner-only files', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-modes-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("the bundled server's database, store index and log, and the client's queue", async () => {
    const dataDir = tmp();
    const server = await startBundledServer({ dataDir, args: ['--port', '0', '--workers', '0'] });
    try {
      const state = path.join(dataDir, 'server');
      expect(modeOf(state)).toBe(0o700);
      for (const f of [
        'credmate.sqlite',
        'credmate.sqlite-wal',
        'credmate.sqlite-shm',
        'object-index.sqlite',
        'object-index.sqlite-wal',
      ]) {
        expect([f, modeOf(path.join(state, f))]).toEqual([f, 0o600]);
      }
      expect(modeOf(path.join(dataDir, 'client'))).toBe(0o700);
      expect(modeOf(server.logFile)).toBe(0o600);
    } finally {
      await server.stop();
    }
    const queue = openQueueDb(queueDbPath(dataDir));
    try {
      for (const f of ['queue.sqlite', 'queue.sqlite-wal', 'queue.sqlite-shm'])
        expect([f, modeOf(path.join(dataDir, 'client', f))]).toEqual([f, 0o600]);
    } finally {
      queue.close();
    }
  });

  it('tightens a database and its directory left readable by others', () => {
    const dataDir = tmp();
    const file = databasePath(dataDir);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.dirname(file), 0o755);
    new Database(file).close();
    fs.chmodSync(file, 0o644);
    openDatabase(dataDir).close();
    expect(modeOf(path.dirname(file))).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
  });
});
