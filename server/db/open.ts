import path from 'node:path';
import Database from 'better-sqlite3';
import { preparePrivateDatabase } from '../../node-shared/private-files';
import { cachePreparedStatements } from '../../common/sqlite-statement-cache';
import { serverStateDir } from '../config';
import { migrate } from './migrate';

export type Db = Database.Database;

/** How long a write waits for another connection's transaction before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export function databasePath(dataDir: string): string {
  return path.join(serverStateDir(dataDir), 'credmate.sqlite');
}

/**
 * Opens the server database in WAL mode. The API process and the job workers open the same
 * file; busy_timeout lets a writer wait for the other's short transaction instead of failing.
 */
export function openDatabase(dataDir: string, opts: { migrate?: boolean } = {}): Db {
  preparePrivateDatabase(databasePath(dataDir));
  const deadline = Date.now() + OPEN_RETRY_MS;
  for (;;) {
    let db: Db | undefined;
    try {
      db = openConnection(databasePath(dataDir));
      if (opts.migrate !== false) migrate(db);
      return db;
    } catch (error) {
      db?.close();
      if (!isBusy(error) || Date.now() > deadline) throw error;
      // Several processes creating one new database at once (two `credmate users add`, a server and
      // its workers): a step that cannot wait in the busy handler (the switch to WAL, a deferred
      // read that must become a write) reports SQLITE_BUSY at once; the next try finds the work done.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/** How long opening a database keeps trying while other processes are creating or migrating it. */
const OPEN_RETRY_MS = 30_000;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * One better-sqlite3 connection to an existing server database file, set up as every connection
 * of the server is (openDatabase's, and the query layer's own: kysely.ts).
 */
export function openConnection(file: string): Db {
  const db = cachePreparedStatements(new Database(file));
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode never corrupts the database; a power cut may drop the last commits.
  // Documents and jobs are the journal the clients rely on, so take FULL.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Savepoint journals and sort space in memory: on disk, a group commit's savepoint journal
  // past 64 KiB became a new temp file per commit (open, unlink, close on the API's thread).
  db.pragma('temp_store = MEMORY');
  return db;
}

export function nowIso(): string {
  return new Date().toISOString();
}
