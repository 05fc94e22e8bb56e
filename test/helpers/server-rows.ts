/**
 * Reads (and, for fault set-ups, writes) the running test server's rows directly, on either of its
 * databases: the SQLite file in its data dir, or its PostgreSQL database. Statements use `?`
 * markers and SQL both databases accept; on PostgreSQL the markers become `$1, $2, ...` and 64-bit
 * integers come back as numbers, as SQLite gives them.
 *
 * ```ts
 * const rows = openServerRows(srv);
 * const doc = await rows.get<{ status: string }>('SELECT status FROM documents WHERE id = ?', id);
 * await rows.close();
 * ```
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import pg from 'pg';
import type { TestServer } from './test-server';

export interface ServerRows {
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  /** Runs a statement; resolves the number of rows it changed. */
  run(sql: string, ...params: unknown[]): Promise<number>;
  close(): Promise<void>;
}

const INT8_OID = 20;

export function openServerRows(srv: Pick<TestServer, 'dataDir' | 'databaseUrl'>): ServerRows {
  return srv.databaseUrl ? postgresRows(srv.databaseUrl) : sqliteRows(srv.dataDir);
}

function sqliteRows(dataDir: string): ServerRows {
  // WAL lets this second connection read while the server writes.
  const db = new Database(path.join(dataDir, 'server', 'credmate.sqlite'));
  db.pragma('busy_timeout = 5000');
  // async: a failing statement rejects, as on PostgreSQL, rather than throwing where it is called.
  return {
    all: async (sql, ...params) => db.prepare(sql).all(...params) as never,
    get: async (sql, ...params) => db.prepare(sql).get(...params) as never,
    run: async (sql, ...params) => db.prepare(sql).run(...params).changes,
    close: async () => void db.close(),
  };
}

function postgresRows(url: string): ServerRows {
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // A test that stops its server before closing these rows has its idle connections ended by the
  // database's drop (57P01); that is the end of the test, not a failure of its statements, which
  // would reject their own promises.
  pool.on('error', () => undefined);
  const query = (sql: string, params: unknown[]) => {
    let n = 0;
    return pool.query(
      sql.replace(/\?/g, () => `$${++n}`),
      params,
    );
  };
  return {
    all: async (sql, ...params) => (await query(sql, params)).rows as never,
    get: async (sql, ...params) => (await query(sql, params)).rows[0] as never,
    run: async (sql, ...params) => (await query(sql, params)).rowCount ?? 0,
    close: () => pool.end(),
  };
}
