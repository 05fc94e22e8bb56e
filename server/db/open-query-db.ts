import type pg from 'pg';
import { AppError } from '../../common/errors';
import type { Logger } from '../log';
import type { DatabaseUrl } from './database-url';
import { postgresQueryDb, sqliteQueryDb, type QueryDb } from './kysely';
import { openDatabase, type Db } from './open';
import { migratePg, SchemaMigrationError } from './pg/migrate-pg';
import { createPostgresPool, type PostgresPoolOptions } from './postgres-pool';

/** The server database a command opened: SQLite under the data dir, or PostgreSQL by URL. */
export type ServerDatabase =
  | (QueryDb & { kind: 'sqlite'; sqlite: Db; describe: string })
  | (QueryDb & { kind: 'postgres'; pool: pg.Pool; describe: string });

export interface OpenServerDatabaseOptions {
  dataDir: string;
  /** When given, PostgreSQL; otherwise the embedded SQLite database under dataDir. */
  databaseUrl?: DatabaseUrl;
  log?: Logger;
  pool?: Omit<PostgresPoolOptions, 'log'>;
}

function unreachable(url: DatabaseUrl, error: unknown): AppError {
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError(
    'unavailable',
    `Cannot open the PostgreSQL database ${url.redacted}: ${reason}. Check --database-url (or CREDMATE_DATABASE_URL), ` +
      'that PostgreSQL is running and accepts connections from this machine, and that the user may create tables in the database.',
    { cause: error },
  );
}

/**
 * Opens and migrates the server database for a command (`users add` today; `server` and `worker`
 * as their modules move to the query layer). PostgreSQL migrations run under an advisory lock, so
 * any number of processes may open the same database at once.
 */
export async function openServerDatabase(opts: OpenServerDatabaseOptions): Promise<ServerDatabase> {
  if (!opts.databaseUrl) {
    const sqlite = openDatabase(opts.dataDir);
    const query = sqliteQueryDb(sqlite);
    return {
      ...query,
      kind: 'sqlite',
      sqlite,
      describe: 'SQLite under the data dir',
      close: async () => {
        await query.close();
        sqlite.close();
      },
    };
  }
  const url = opts.databaseUrl;
  const pool = createPostgresPool(url, { ...opts.pool, log: opts.log });
  try {
    await migratePg(pool, { log: opts.log });
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof SchemaMigrationError) throw error;
    throw unreachable(url, error);
  }
  const query = postgresQueryDb(pool);
  return { ...query, kind: 'postgres', pool, describe: `PostgreSQL ${url.redacted}` };
}
