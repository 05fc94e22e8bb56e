import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import type pg from 'pg';
import { openConnection, type Db } from './open';
import type { DatabaseSchema } from './schema';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The typed query layer over one of the two databases; modules use `db` and never ask which. */
export interface QueryDb {
  kind: DatabaseKind;
  db: Kysely<DatabaseSchema>;
  /** Ends the query layer: its pool (PostgreSQL) or its own SQLite connection, not a handle it was given. */
  close(): Promise<void>;
}

/**
 * Kysely beside an open better-sqlite3 handle (server/db/open.ts), for the code still written
 * against better-sqlite3: on a connection of its own to the same file, set up the same way, which
 * close() ends. Not on the handle itself: while a Kysely transaction awaited between statements,
 * another request's synchronous `db.transaction(...)()` on a shared handle ran inside it as a
 * savepoint, and the Kysely transaction's rollback took that request's answered write with it.
 * On its own connection each transaction is SQLite's own (WAL: readers never wait for the writer).
 *
 * Keep Kysely write transactions free of awaits on anything but their own statements: while one
 * holds the write lock across an event-loop turn, a synchronous write on the handle waits in
 * SQLite's busy handler, which blocks the very loop that would finish the transaction.
 * An in-memory handle has no file to open again, so there Kysely shares it (tests only).
 */
export function sqliteQueryDb(handle: Db): QueryDb {
  if (handle.memory) {
    const shared: SqliteDatabase = { close: () => undefined, prepare: (sql: string) => handle.prepare(sql) };
    const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: shared }) });
    return { kind: 'sqlite', db, close: () => db.destroy() };
  }
  const own = openConnection(handle.name);
  const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: own }) });
  return { kind: 'sqlite', db, close: () => db.destroy() };
}

/** Kysely over a pg Pool (postgres-pool.ts); close ends the pool. */
export function postgresQueryDb(pool: pg.Pool): QueryDb {
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  return { kind: 'postgres', db, close: () => db.destroy() };
}

const layers = new WeakMap<Db, QueryDb>();

/**
 * The query layer for a module that has moved to Kysely while some callers still hold the
 * better-sqlite3 handle (start.ts, the routes): those pass the handle and get one Kysely per
 * handle, on its own connection (sqliteQueryDb), which closeQueryLayer ends; converted callers
 * pass their Kysely as it is.
 */
export function queryLayer(db: Db | Kysely<DatabaseSchema>): Kysely<DatabaseSchema> {
  if (db instanceof Kysely) return db;
  let layer = layers.get(db);
  if (!layer) {
    layer = sqliteQueryDb(db);
    layers.set(db, layer);
  }
  return layer.db;
}

/** Closes the handle's query layer (its own connection), if one was made; before the handle closes. */
export async function closeQueryLayer(db: Db): Promise<void> {
  const layer = layers.get(db);
  layers.delete(db);
  await layer?.close();
}

/** The handle a converted module accepts: the typed query layer, or (until every caller moves) the SQLite handle. */
export type AnyDb = Db | Kysely<DatabaseSchema>;

/**
 * Runs several reads on one snapshot of the database, so a view built from them (a provider list:
 * matches, then their documents, then the providers) never mixes the state before a write with the
 * state after it, as when a merge commits between two of the reads. PostgreSQL: a REPEATABLE READ,
 * READ ONLY transaction. SQLite: a deferred transaction on the query layer's own connection, which
 * WAL keeps on the snapshot of its first read while other connections write.
 */
export function readSnapshot<T>(db: AnyDb, read: (snapshot: Kysely<DatabaseSchema>) => Promise<T>): Promise<T> {
  const layer = queryLayer(db);
  const tx = layer.transaction();
  const onPostgres = layer.getExecutor().adapter instanceof PostgresAdapter;
  return (onPostgres ? tx.setIsolationLevel('repeatable read').setAccessMode('read only') : tx).execute(read);
}
