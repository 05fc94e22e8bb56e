/**
 * Where the server's units (units.ts) run: one interface over the embedded SQLite database and the
 * central PostgreSQL one, so a route or a worker never asks which it has.
 */
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { GroupCommit } from './group-commit';
import type { ServerDatabase } from './open-query-db';
import type { Db } from './open';
import type { DatabaseSchema } from './schema';
import {
  attachUnitContext,
  runUnitOnHandle,
  runUnitOnPostgres,
  writeOnPostgres,
  type Unit,
  type UnitContext,
} from './units';

export interface UnitRunner {
  /**
   * Runs a fresh unit from `make` in one write transaction; resolves once it is committed (and
   * durable, unless `durable: false`: a write a client recovers from losing, such as an upload's
   * registration). `make` may be called again when PostgreSQL asks for a retry.
   */
  write<T>(make: () => Unit<T>, opts?: { durable?: boolean }): Promise<T>;
  /** Runs a unit that only reads, outside any write transaction. */
  read<T>(make: () => Unit<T>): Promise<T>;
}

function readOnHandle<T>(handle: Db, make: () => Unit<T>): Promise<T> {
  try {
    return Promise.resolve(runUnitOnHandle(handle, make()));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The API process on SQLite: writes join the group commit, reads run at once on the handle. */
export function groupCommitUnits(handle: Db, writes: GroupCommit): UnitRunner {
  return {
    write: (make, opts) => writes.run(() => runUnitOnHandle(handle, make()), opts),
    read: (make) => readOnHandle(handle, make),
  };
}

/**
 * A process with a SQLite handle of its own and no group commit (a worker, a CLI command): each
 * write is its own IMMEDIATE transaction, so it takes the write lock before its first read.
 */
export function handleUnits(handle: Db): UnitRunner {
  return {
    write: (make) => {
      try {
        return Promise.resolve(handle.transaction(() => runUnitOnHandle(handle, make())).immediate());
      } catch (error) {
        return Promise.reject(error);
      }
    },
    read: (make) => readOnHandle(handle, make),
  };
}

/** PostgreSQL: each write its own transaction, retried on a serialization failure; reads on the pool. */
export function postgresUnits(db: Kysely<DatabaseSchema>, ctx: UnitContext = {}): UnitRunner {
  return {
    write: (make) => writeOnPostgres(db, make, ctx),
    read: (make) => runUnitOnPostgres(db, make(), ctx),
  };
}

/** The runner for a database a command opened (open-query-db.ts), with no group commit; `ctx` as attachUnitContext. */
export function unitsFor(database: ServerDatabase, ctx: UnitContext = {}): UnitRunner {
  if (database.kind === 'postgres') return postgresUnits(database.db, ctx);
  attachUnitContext(database.sqlite, ctx);
  return handleUnits(database.sqlite);
}

/**
 * Runs a unit on one connection of a pg pool that the caller holds inside its own transaction (the
 * pg-boss queue's fenced transactions, jobs/pg-boss-queue.ts): the unit's statements join it.
 */
export function runUnitOnPgClient<T>(client: pg.PoolClient, unit: Unit<T>, ctx: UnitContext = {}): Promise<T> {
  const onClient = { query: client.query.bind(client), release: () => undefined };
  const pool = { connect: () => Promise.resolve(onClient), end: () => Promise.resolve() };
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  return runUnitOnPostgres(db, unit, ctx);
}
