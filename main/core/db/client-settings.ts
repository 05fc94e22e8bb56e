import type Database from 'better-sqlite3';

/** Small client facts kept beside the queue (e.g. the last server an import used). */
export function getClientSetting(db: Database.Database, key: string): string | null {
  const r = db.prepare('SELECT value FROM sync_state WHERE key = ?').get(`setting:${key}`) as
    { value: string } | undefined;
  return r?.value ?? null;
}

export function setClientSetting(db: Database.Database, key: string, value: string): void {
  db.prepare(
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(`setting:${key}`, value);
}
