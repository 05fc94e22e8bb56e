/**
 * The database side of a running server, the one place that knows which database it has: the
 * embedded SQLite file under the data dir (group commit, the SQLite lease-table job queue) or the
 * central PostgreSQL (a transaction per write, pg-boss). Everything past start-up goes through
 * `db` (async reads), `units` (server/db/units.ts) and `jobs`.
 */
import type { ServerConfig } from './config';
import type { DatabaseUrl } from './db/database-url';
import { openServerDatabase } from './db/open-query-db';
import { GroupCommit } from './db/group-commit';
import { closeQueryLayer, type AnyDb, type DatabaseKind } from './db/kysely';
import { openDatabase, type Db } from './db/open';
import { groupCommitUnits, postgresUnits, type UnitRunner } from './db/unit-runner';
import { attachUnitContext, type UnitContext } from './db/units';
import type { JobQueue } from './jobs/job-queue';
import { JobOutbox } from './jobs/job-outbox';
import { PgBossQueue, pgBossPolicyOf } from './jobs/pg-boss-queue';
import type { QueuePolicy } from './jobs/queue';
import { createSqliteJobQueue } from './jobs/sqlite-job-queue';
import type { WorkerConfig } from './jobs/worker-config';
import { errorFields, type Logger } from './log';

export interface DatabaseBackend {
  kind: DatabaseKind;
  /** For async reads (Kysely on either database; on SQLite the handle, whose hot reads have fast paths). */
  db: AnyDb;
  units: UnitRunner;
  jobs: JobQueue;
  /** What every unit of this process gets from `context()` (the audit chain, once it is loaded). */
  setUnitContext(ctx: UnitContext): void;
  /** A job was queued (its row committed): the PostgreSQL outbox hands it to pg-boss now. */
  jobQueued(): void;
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
    units: groupCommitUnits(db, writes),
    jobs: createSqliteJobQueue(db, policy),
    setUnitContext: (ctx) => attachUnitContext(db, ctx),
    // The row is the queue: the workers' wake-up is enough.
    jobQueued: () => undefined,
    async close() {
      await writes.close();
      await closeQueryLayer(db);
      db.close();
    },
  };
}

/**
 * Opens the central PostgreSQL database (migrating it, once, under migratePg's lock), its pg-boss
 * queue and the job outbox's relay. The data dir then holds only the worker configuration.
 */
export async function openPostgresBackend(
  config: ServerConfig & { databaseUrl: DatabaseUrl },
  workers: Pick<WorkerConfig, 'policy' | 'extraction' | 'deadlines'>,
  log: Logger,
): Promise<DatabaseBackend> {
  const database = await openServerDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, log });
  let jobs: PgBossQueue;
  try {
    jobs = await PgBossQueue.start({
      connectionString: config.databaseUrl.url,
      // The same policy as every `credmate worker` of the deployment: each start applies it to the queue.
      ...pgBossPolicyOf(workers),
      onError: (err) => log.warn('jobs.pg_boss_error', errorFields(err)),
    });
  } catch (err) {
    await database.close();
    throw err;
  }
  const outbox = new JobOutbox(database.db, jobs, log);
  outbox.start();
  const ctx: UnitContext = {};
  return {
    kind: 'postgres',
    db: database.db,
    units: postgresUnits(database.db, ctx),
    jobs,
    setUnitContext: (next) => Object.assign(ctx, next),
    jobQueued: () => outbox.wake(),
    async close() {
      await outbox.stop();
      await jobs.stop();
      await database.close();
    },
  };
}
