import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type Compilable } from 'kysely';
import type { Db } from './open';
import type { DatabaseSchema } from './schema';

/**
 * Kysely queries run synchronously on the better-sqlite3 handle, for the pieces that must commit
 * in one synchronous transaction with modules still written against the handle (the change feed,
 * the audit chain, the group commit): such a query is written once, as a Kysely builder over any
 * `Kysely<DatabaseSchema>`, and the async callers run the same builder on either database
 * (kysely.ts). This Kysely only compiles, for SQLite; it has no connection and runs nothing.
 */
export const handleQueries = new Kysely<DatabaseSchema>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** The rows of a query built on handleQueries, read on the handle inside the caller's transaction. */
export function allOnHandle<R>(handle: Db, query: Compilable<R>): R[] {
  const { sql, parameters } = query.compile();
  return handle.prepare(sql).all(...parameters) as R[];
}

/** The first row of a query built on handleQueries, read on the handle, or undefined. */
export function firstOnHandle<R>(handle: Db, query: Compilable<R>): R | undefined {
  const { sql, parameters } = query.compile();
  return handle.prepare(sql).get(...parameters) as R | undefined;
}
