import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../../server/db/database-url';
import { openServerDatabase } from '../../../server/db/open-query-db';
import { migratePg, PG_MIGRATIONS } from '../../../server/db/pg/migrate-pg';
import { createPostgresPool } from '../../../server/db/postgres-pool';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

describe('migratePg', () => {
  let target: TestDatabase;
  const pools: pg.Pool[] = [];
  const pool = () => {
    const p = createPostgresPool(parseDatabaseUrl(target.url), { max: 2 });
    pools.push(p);
    return p;
  };
  beforeAll(async () => {
    target = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await target.drop();
  });

  it('applies every migration once when several processes start at the same time', async () => {
    const latest = PG_MIGRATIONS.at(-1)?.version;
    // Four pools stand for four processes: without the advisory lock two would run 001 together.
    const versions = await Promise.all([pool(), pool(), pool(), pool()].map((p) => migratePg(p)));
    expect(versions).toEqual([latest, latest, latest, latest]);
    const { rows } = await pool().query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    expect(await migratePg(pool())).toBe(latest);
  });

  it('refuses a database migrated by a newer server, and rolls back a failed migration whole', async () => {
    const p = pool();
    await p.query('INSERT INTO schema_migrations (version, applied_at) VALUES (999, $1)', ['later']);
    await expect(migratePg(p)).rejects.toThrow(/schema version 999 is newer than this server/);
    // Opening for a command says so too, rather than calling the database unreachable.
    const opening = openServerDatabase({ dataDir: '/nonexistent', databaseUrl: parseDatabaseUrl(target.url) });
    await expect(opening).rejects.toThrow(/^Database schema version 999 is newer than this server/);
    await p.query('DELETE FROM schema_migrations WHERE version = 999');

    const fresh = await createTestDatabase();
    const fp = createPostgresPool(parseDatabaseUrl(fresh.url), { max: 1 });
    // A table in the way makes 002 fail after 001 committed: 002 leaves nothing behind.
    await fp.query(
      'CREATE TABLE document_tombstones_feed_blocker (x int); CREATE INDEX document_tombstones_feed ON document_tombstones_feed_blocker (x)',
    );
    await expect(migratePg(fp)).rejects.toThrow(/PostgreSQL migration 2 failed and was rolled back/);
    const applied = await fp.query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(applied.rows.map((r) => r.version)).toEqual([1]);
    const tomb = await fp.query("SELECT to_regclass('document_tombstones') AS t");
    expect(tomb.rows[0]).toEqual({ t: null });
    await fp.end();
    await fresh.drop();
  });
});
