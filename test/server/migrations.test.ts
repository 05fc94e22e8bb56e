import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../server/db/open';
import { MIGRATIONS, migrate } from '../../server/db/migrate';
import * as m001 from '../../server/db/migrations/001-initial';
import * as m002 from '../../server/db/migrations/002-document-tombstones';

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
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
    ).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'audit_events',
        'audit_heads',
        'batches',
        'counters',
        'documents',
        'extractions',
        'jobs',
        'organizations',
        'sessions',
        'uploads',
        'users',
      ]),
    );
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
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT COUNT(*) AS n FROM organizations').get()).toEqual({ n: 1 });
    db.prepare(
      "INSERT INTO document_tombstones (document_id, org_id, change_seq, deleted_at) VALUES ('d', 'o', 1, '')",
    ).run();
    expect(db.prepare("SELECT change_seq FROM document_tombstones WHERE org_id = 'o'").get()).toEqual({
      change_seq: 1,
    });
    db.close();
  });

  it('003 marks extracted documents verified (the worker checked their bytes) and lets a hash repeat', () => {
    const dir = tmp();
    const db = openDatabase(dir, { migrate: false });
    db.exec(m001.up);
    db.exec(m002.up);
    db.pragma('user_version = 2');
    db.prepare("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'Org', '')").run();
    const doc = db.prepare(
      "INSERT INTO documents (id, org_id, file_name, size_bytes, sha256, object_key, status, created_at, updated_at, change_seq) VALUES (?, 'o', 'f.pdf', 1, ?, 'k', ?, '', 't1', 1)",
    );
    doc.run('extracted', 'h1', 'review_pending');
    doc.run('waiting', 'h2', 'uploaded');
    db.prepare(
      "INSERT INTO extractions (document_id, job_id, fencing_token, pipeline_version, result_json, created_at) VALUES ('extracted', 1, 1, 'v', '{}', '')",
    ).run();
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT id, sha256_verified_at FROM documents ORDER BY id').all()).toEqual([
      { id: 'extracted', sha256_verified_at: 't1' },
      { id: 'waiting', sha256_verified_at: null },
    ]);
    // A second document of a hash (a failed one's, then a verified upload of the same file).
    expect(() => doc.run('again', 'h1', 'uploaded')).not.toThrow();
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
