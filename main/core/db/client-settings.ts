import type Database from 'better-sqlite3';
import { flushProgress } from './commit-progress';

/** Small client facts kept beside the queue (e.g. the last server an import used). */
export function getClientSetting(db: Database.Database, key: string): string | null {
  const r = db.prepare('SELECT value FROM sync_state WHERE key = ?').get(`setting:${key}`) as
    { value: string } | undefined;
  return r?.value ?? null;
}

/**
 * A user's setting (watched folders, recent lists) commits on its own with synchronous=FULL: an
 * open progress group is committed first, or the setting would join it (NORMAL, committed after the
 * IPC answer, rolled back with it if the group fails).
 */
export function setClientSetting(db: Database.Database, key: string, value: string): void {
  flushProgress(db);
  db.prepare(
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(`setting:${key}`, value);
}
