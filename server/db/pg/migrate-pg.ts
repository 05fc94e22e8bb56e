import type pg from 'pg';
import type { Logger } from '../../log';
import * as m001 from './migrations/001-initial';
import * as m002 from './migrations/002-document-tombstones';
import * as m003 from './migrations/003-verified-hashes';
import * as m004 from './migrations/004-keyed-audit-chain';
import * as m005 from './migrations/005-providers';
import * as m006 from './migrations/006-upload-rel-path';
import * as m007 from './migrations/007-login-attempts';
import * as m008 from './migrations/008-job-outcomes';

/**
 * PostgreSQL twins of server/db/migrate.ts's MIGRATIONS, version for version (the parity test in
 * test/server/db holds the two lists and the schemas they build to each other); never edited once shipped.
 */
export const PG_MIGRATIONS: ReadonlyArray<{ version: number; up: string }> = [
  { version: 1, up: m001.up },
  { version: 2, up: m002.up },
  { version: 3, up: m003.up },
  { version: 4, up: m004.up },
  { version: 5, up: m005.up },
  { version: 6, up: m006.up },
  { version: 7, up: m007.up },
  { version: 8, up: m008.up },
];

// One fixed key for pg_advisory_lock: every credmate process migrating this database takes it, so
// API processes and workers started together apply each migration once, one after the other.
const MIGRATION_LOCK_KEY = '7243106515412019';

export interface MigratePgOptions {
  log?: Logger;
  /** How long to wait for another process's migration or a table lock (default 10 minutes). */
  lockTimeoutMs?: number;
}

/**
 * The schema itself stops the start (a newer schema, a migration that failed), as opposed to not
 * reaching the database at all: callers say which.
 */
export class SchemaMigrationError extends Error {
  override name = 'SchemaMigrationError';
}

/** The highest version recorded in schema_migrations, 0 for a fresh database. */
async function recordedVersion(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  return rows[0]?.version ?? 0;
}

async function applyOne(client: pg.PoolClient, m: { version: number; up: string }): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(m.up);
    await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
      m.version,
      new Date().toISOString(),
    ]);
    await client.query('COMMIT');
  } catch (error) {
    // A connection that broke mid-migration cannot roll back (the server does): that is not the
    // migration's fault, and the caller says the database could not be reached.
    if (
      !(await client.query('ROLLBACK').then(
        () => true,
        () => false,
      ))
    )
      throw error;
    throw new SchemaMigrationError(
      `PostgreSQL migration ${m.version} failed and was rolled back: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Applies pending PostgreSQL migrations, each in its own transaction with its version recorded in
 * schema_migrations, under a session advisory lock; returns the schema version now in place.
 */
export async function migratePg(pool: pg.Pool, opts: MigratePgOptions = {}): Promise<number> {
  const latest = PG_MIGRATIONS.at(-1)?.version ?? 0;
  const client = await pool.connect();
  try {
    // A migration may run longer than the pool's statement deadline; waiting on the lock or on a
    // table another process holds has its own deadline instead.
    await client.query('SET statement_timeout = 0');
    await client.query(`SET lock_timeout = ${Math.max(1, Math.round(opts.lockTimeoutMs ?? 600_000))}`);
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const current = await recordedVersion(client);
    if (current > latest) {
      throw new SchemaMigrationError(
        `Database schema version ${current} is newer than this server (${latest}); upgrade the server.`,
      );
    }
    for (const m of PG_MIGRATIONS) {
      if (m.version <= current) continue;
      await applyOne(client, m);
      opts.log?.info('postgres_migration_applied', { version: m.version });
    }
    return latest;
  } finally {
    // Destroying the connection ends its session, which releases the advisory lock (also after an
    // error that broke the connection) and drops the changed settings instead of pooling them.
    client.release(true);
  }
}
