import pg from 'pg';
import type { DatabaseUrl } from './database-url';
import { errorFields, type Logger } from '../log';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Epoch milliseconds, sizes and sequence numbers are bigint columns; pg returns them as strings by
// default. They fit a double exactly, and the SQLite side returns numbers, so read them as numbers,
// loudly refusing a value that would lose digits rather than rounding it.
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`bigint ${text} is beyond JavaScript's exact integer range`);
  return value;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return parseInt8;
    // sum() and avg() over integers answer numeric; as a number, like SQLite's.
    if (oid === NUMERIC_OID) return (text: string) => Number(text);
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresPoolOptions {
  /** Connections at most (default 10). */
  max?: number;
  /** Shown in pg_stat_activity, so an operator can tell the API from the workers. */
  applicationName?: string;
  /** Default 60 s: a statement past it is cancelled by the server, so no request waits forever. */
  statementTimeoutMs?: number;
  log?: Logger;
}

/**
 * A pg Pool with deadlines on connecting and on each statement (the seed system's outage came from
 * calls without one), bigint read as number, and idle-connection errors logged instead of crashing
 * the process (pg emits them on the pool, e.g. when PostgreSQL restarts).
 */
export function createPostgresPool(url: DatabaseUrl, opts: PostgresPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url.url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'credmate',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: opts.statementTimeoutMs ?? 60_000,
    types,
  });
  pool.on('error', (err) => {
    opts.log?.warn('postgres_idle_connection_error', { database: url.redacted, ...errorFields(err) });
  });
  return pool;
}
