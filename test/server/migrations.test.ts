import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../server/db/open';
import { MIGRATIONS, migrate } from '../../server/db/migrate';
import * as m001 from '../../server/db/migrations/001-initial';

describe('server database migrations', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-mig-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('001 creates the schema in WAL mode and a reopen applies nothing twice', () => {
    const dir = tmp();
    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['audit_events', 'audit_heads', 'batches', 'counters', 'documents', 'extractions', 'jobs', 'organizations', 'sessions', 'uploads', 'users']));
    db.prepare("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'Org', '')").run();
    db.close();
    const again = openDatabase(dir);
    expect(again.prepare('SELECT COUNT(*) AS n FROM organizations').get()).toEqual({ n: 1 });
    again.close();
  });

  it('002 adds document tombstones to a version-1 database without touching its rows', () => {
    const dir = tmp();
    const db = openDatabase(dir, { migrate: false });
    db.exec(m001.up);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'Org', '')").run();
    expect(migrate(db)).toBe(2);
    expect(db.prepare('SELECT COUNT(*) AS n FROM organizations').get()).toEqual({ n: 1 });
    db.prepare("INSERT INTO document_tombstones (document_id, org_id, change_seq, deleted_at) VALUES ('d', 'o', 1, '')").run();
    expect(db.prepare("SELECT change_seq FROM document_tombstones WHERE org_id = 'o'").get()).toEqual({ change_seq: 1 });
    db.close();
  });

  it('refuses a database written by a newer server', () => {
    const dir = tmp();
    openDatabase(dir).close();
    const raw = new Database(databasePath(dir));
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openDatabase(dir)).toThrow(/schema version 99 is newer/);
  });
});
