import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import type pg from 'pg';
import type { Db } from './open';
import type { DatabaseSchema } from './schema';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The typed query layer over one of the two databases; modules use `db` and never ask which. */
export interface QueryDb {
  kind: DatabaseKind;
  db: Kysely<DatabaseSchema>;
  /** Ends the query layer; closes the pool (PostgreSQL) but not a SQLite handle it was given. */
  close(): Promise<void>;
}

/**
 * Kysely over an open better-sqlite3 handle (server/db/open.ts), shared with the code still
 * written against better-sqlite3. Kysely closes its database on destroy; the handle belongs to
 * whoever opened it, so Kysely gets a view whose close does nothing.
 *
 * Kysely runs one SQLite connection behind a mutex, but better-sqlite3 callers on the same handle
 * do not take that mutex: while a Kysely transaction awaits between statements, synchronous code
 * on the handle would run inside it. Modules converted to Kysely keep their transactions free of
 * awaits on other work, or stop sharing the handle.
 */
export function sqliteQueryDb(handle: Db): QueryDb {
  const view: SqliteDatabase = {
    close: () => undefined,
    prepare: (sql: string) => handle.prepare(sql),
  };
  const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: view }) });
  return { kind: 'sqlite', db, close: () => db.destroy() };
}

/** Kysely over a pg Pool (postgres-pool.ts); close ends the pool. */
export function postgresQueryDb(pool: pg.Pool): QueryDb {
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  return { kind: 'postgres', db, close: () => db.destroy() };
}

const layers = new WeakMap<Db, Kysely<DatabaseSchema>>();

/**
 * The query layer for a module that has moved to Kysely while some callers still hold the
 * better-sqlite3 handle (start.ts, the routes): those pass the handle and get one Kysely per
 * handle; converted callers pass their Kysely as it is.
 */
export function queryLayer(db: Db | Kysely<DatabaseSchema>): Kysely<DatabaseSchema> {
  if (db instanceof Kysely) return db;
  let layer = layers.get(db);
  if (!layer) {
    layer = sqliteQueryDb(db).db;
    layers.set(db, layer);
  }
  return layer;
}

/** The handle a converted module accepts: the typed query layer, or (until every caller moves) the SQLite handle. */
export type AnyDb = Db | Kysely<DatabaseSchema>;
