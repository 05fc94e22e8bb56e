import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../server/db/migrate';
import { parseDatabaseUrl } from '../../../server/db/database-url';
import { migratePg, PG_MIGRATIONS } from '../../../server/db/pg/migrate-pg';
import { createPostgresPool } from '../../../server/db/postgres-pool';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { postgresSnapshot, sqliteSnapshot, type SchemaSnapshot } from './schema-snapshot';

/*
 * The dialect-specific differences the parity check allows, each on purpose:
 * 1. schema_migrations exists only in PostgreSQL: SQLite records its version in PRAGMA user_version.
 * 2. sqlite_sequence (AUTOINCREMENT's bookkeeping) exists only in SQLite; sqliteSnapshot skips
 *    sqlite_* tables. PostgreSQL's identity columns keep their counters in sequences.
 * 3. audit_events_no_truncate exists only in PostgreSQL: TRUNCATE fires no row trigger there, and
 *    SQLite has no TRUNCATE.
 * 4. A SQLite primary-key column counts as NOT NULL (schema-snapshot.ts): PostgreSQL's key implies
 *    it; SQLite's INTEGER PRIMARY KEY is the rowid; a TEXT key could hold NULL by an old SQLite
 *    quirk, which no code writes.
 * 5. Types compare by family (text, integer, real): citext is text; bigint (epoch ms, sizes,
 *    sequences, ids) and integer (counts) are both integer. See pg/migrations/001-initial.ts.
 * 6. credmate_job_outcomes exists only in PostgreSQL: it is the pg-boss deployment's table (one
 *    outcome per pg-boss job); the embedded SQLite queue keeps outcomes on its jobs rows.
 */
const POSTGRES_ONLY_TABLES = ['schema_migrations', 'credmate_job_outcomes'];
const POSTGRES_ONLY_TRIGGERS = ['audit_events.audit_events_no_truncate'];

describe('SQLite and PostgreSQL migrations', () => {
  let target: TestDatabase;
  let pool: pg.Pool;
  let dir: string;
  let sqlite: SchemaSnapshot;
  let postgres: SchemaSnapshot;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-parity-'));
    const db = new Database(path.join(dir, 'parity.sqlite'));
    migrate(db);
    sqlite = sqliteSnapshot(db);
    db.close();
    target = await createTestDatabase();
    pool = createPostgresPool(parseDatabaseUrl(target.url), { max: 1 });
    await migratePg(pool);
    const client = await pool.connect();
    try {
      postgres = await postgresSnapshot(client, POSTGRES_ONLY_TABLES);
    } finally {
      client.release();
    }
    postgres.triggers = postgres.triggers.filter((t) => !POSTGRES_ONLY_TRIGGERS.includes(t));
  });
  afterAll(async () => {
    await pool?.end();
    await target?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('have a PostgreSQL twin for every SQLite migration, by number', () => {
    // Adding server/db/migrations/00N without server/db/pg/migrations/00N fails here first.
    expect(PG_MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('build the same tables and columns (name, nullability, type family, default)', () => {
    // Guards against two empty snapshots agreeing: the schema has well over a hundred columns.
    expect(Object.keys(sqlite.columns).length).toBeGreaterThan(100);
    expect(sqlite.columns['jobs.id']).toBe('integer not null identity');
    expect(postgres.columns).toEqual(sqlite.columns);
  });

  it('notice a column a SQLite migration adds without its PostgreSQL twin', () => {
    const db = new Database(path.join(dir, 'parity.sqlite'));
    db.exec('ALTER TABLE uploads ADD COLUMN only_in_sqlite INTEGER');
    const drifted = sqliteSnapshot(db);
    db.close();
    expect(drifted.columns['uploads.only_in_sqlite']).toBe('integer null');
    expect(postgres.columns).not.toEqual(drifted.columns);
  });

  it('build the same named indexes, keys, foreign keys and triggers', () => {
    expect(postgres.indexes).toEqual(sqlite.indexes);
    expect(postgres.keys).toEqual(sqlite.keys);
    expect(postgres.foreignKeys).toEqual(sqlite.foreignKeys);
    expect(postgres.triggers).toEqual(sqlite.triggers);
  });

  it('seed the same rows', async () => {
    const db = new Database(path.join(dir, 'parity.sqlite'), { readonly: true });
    const fromSqlite = db.prepare('SELECT name, value FROM counters ORDER BY name').all();
    db.close();
    const fromPostgres = await pool.query('SELECT name, value FROM counters ORDER BY name');
    expect(fromPostgres.rows).toEqual(fromSqlite);
    expect(fromSqlite).toEqual([{ name: 'change_seq', value: 0 }]);
  });
});
