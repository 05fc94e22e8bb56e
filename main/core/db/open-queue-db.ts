import Database from 'better-sqlite3';
import { cachePreparedStatements } from '../../../common/sqlite-statement-cache';
import { join } from 'node:path';
import { preparePrivateDatabase } from '../../../node-shared/private-files';
import { flushProgress } from './commit-progress';
import { runMigrations } from './migrations';

/** Where the client keeps its queue inside a data dir (shared design decision). */
export function queueDbPath(dataDir: string): string {
  return join(dataDir, 'client', 'queue.sqlite');
}

/**
 * Opens (creating if needed) the local queue database and migrates it. WAL so readers never
 * block the writer; synchronous=FULL so a file reported "queued" survives a power cut.
 */
export function openQueueDb(file: string): Database.Database {
  // The queue names every file a user uploads: owner-only (node-shared/private-files.ts).
  if (file !== ':memory:') preparePrivateDatabase(file);
  const db = cachePreparedStatements(new Database(file));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  runMigrations(db);
  // Closing with a progress group still open would roll it back: commit it first.
  const close = db.close.bind(db);
  db.close = () => {
    try {
      flushProgress(db);
    } finally {
      close();
    }
    return db;
  };
  return db;
}
