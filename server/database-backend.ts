/**
 * The database side of a running server, the one place that knows which database it has: the
 * embedded SQLite file under the data dir (group commit, the SQLite lease-table job queue) or the
 * central PostgreSQL (a transaction per write, pg-boss). Everything past start-up goes through
 * `db` (async reads), `units` (server/db/units.ts) and `jobs`.
 */
import type { ServerConfig } from './config';
import { GroupCommit } from './db/group-commit';
import { closeQueryLayer, type AnyDb, type DatabaseKind } from './db/kysely';
import { openDatabase, type Db } from './db/open';
import { groupCommitUnits, type UnitRunner } from './db/unit-runner';
import { attachUnitContext, type UnitContext } from './db/units';
import type { JobQueue } from './jobs/job-queue';
import { createSqliteJobQueue } from './jobs/sqlite-job-queue';
import type { QueuePolicy } from './jobs/queue';

export interface DatabaseBackend {
  kind: DatabaseKind;
  /** For async reads (Kysely on either database; on SQLite the handle, whose hot reads have fast paths). */
  db: AnyDb;
  /** The SQLite handle, for what still runs only there (the embedded store's write guard, the in-process workers). */
  sqlite: Db | null;
  units: UnitRunner;
  jobs: JobQueue;
  /** What every unit of this process gets from `context()` (the audit chain, once it is loaded). */
  setUnitContext(ctx: UnitContext): void;
  /** After the last request: ends the group commit's sync thread and the connections. */
  close(): Promise<void>;
}

/** Opens the embedded SQLite database (migrating it), refusing to start with one message when it cannot. */
export function openSqliteBackend(config: ServerConfig, policy: QueuePolicy): DatabaseBackend {
  let db: Db;
  try {
    db = openDatabase(config.dataDir);
  } catch (err) {
    throw new Error(
      `Database check failed for ${config.dataDir}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  const writes = new GroupCommit(db);
  return {
    kind: 'sqlite',
    db,
    sqlite: db,
    units: groupCommitUnits(db, writes),
    jobs: createSqliteJobQueue(db, policy),
    setUnitContext: (ctx) => attachUnitContext(db, ctx),
    async close() {
      await writes.close();
      await closeQueryLayer(db);
      db.close();
    },
  };
}
