/**
 * The extraction queue of the PostgreSQL deployment on pg-boss (v10): its queue holds the jobs, its
 * retry policy (retryLimit, retryDelay, retryBackoff) spaces the attempts, its expiry
 * (expireInSeconds, enforced by the maintenance of whichever instance holds the slot) gives a dead
 * worker's job to another, and its dead-letter queue keeps the jobs that ran out of attempts.
 *
 * What pg-boss does not give, this module adds: fencing. pg-boss redelivers an expired job under the
 * SAME id, and its complete() and fail() only ask that the job be active, not which delivery holds
 * it, so a stale worker would complete (or fail) the new delivery's job. Each delivery is named by
 * the job's retry_count at fetch (pg-boss adds one on every fetch after the first): the fencing token
 * is retry_count + 1. A complete or fail locks the job row, checks it is still active under this
 * token, writes its outcome and the result and calls pg-boss in that one transaction; expiry (a
 * DELETE of the row) waits on the lock and then finds the job completed. A row per finished job in
 * credmate_job_outcomes (primary key: the job id) makes a second outcome impossible even so.
 * The documents are written by the same document-store units as the embedded queue's (documentStoreJobs).
 */
import PgBoss from 'pg-boss';
import type pg from 'pg';
import { parseDatabaseUrl } from '../db/database-url';
import { createPostgresPool } from '../db/postgres-pool';
import { runUnitOnPgClient } from '../db/unit-runner';
import { failExtraction, recordExtraction, startExtraction } from '../documents/document-store';
import type {
  ClaimedExtraction,
  ExtractionResultRecord,
  FailOutcome,
  JobLease,
  JobQueue,
  QueueDepth,
} from './job-queue';

/** One transaction's connection; the documents of the central database are written through it. */
export type PgTransaction = pg.PoolClient;

/** How the queue touches documents, inside its own transactions (documentStoreJobs, unless a test stands in). */
export interface PgJobDocuments {
  /** Marks the document processing and returns its stored object; null when the document is gone. */
  claimed(tx: PgTransaction, documentId: string): Promise<Omit<ClaimedExtraction, keyof JobLease> | null>;
  /** Records the extraction of a completed delivery; `jobNumber` is the job's number in credmate's jobs sequence. */
  completed(tx: PgTransaction, job: JobLease & { jobNumber: number }, result: ExtractionResultRecord): Promise<void>;
  /** Marks the document failed once its job is dead-lettered. */
  deadLettered(tx: PgTransaction, documentId: string, reason: string): Promise<void>;
}

/**
 * The central database's documents, written by the same document-store units the embedded queue
 * (queue.ts) runs: one text of the claim, the result and the failure for both engines, joined to
 * the pg-boss transaction that holds the fence.
 */
export const documentStoreJobs: PgJobDocuments = {
  async claimed(tx, documentId) {
    const doc = await runUnitOnPgClient(tx, startExtraction(documentId, Date.now()));
    return doc && { objectKey: doc.object_key, sizeBytes: doc.size_bytes, sha256: doc.sha256 };
  },
  completed: (tx, job, result) =>
    runUnitOnPgClient(
      tx,
      recordExtraction(job.documentId, { ...result, jobId: job.jobNumber, fencingToken: job.fencingToken }, Date.now()),
    ),
  deadLettered: (tx, documentId, reason) => runUnitOnPgClient(tx, failExtraction(documentId, reason, Date.now())),
};

export interface PgBossQueueOptions {
  connectionString: string;
  /** Default documentStoreJobs: the central database's documents. */
  documents?: PgJobDocuments;
  /** Default `extraction`; its dead letters go to `<queue>-dead`. */
  queue?: string;
  /** pg-boss's schema (default `pgboss`). */
  schema?: string;
  maxAttempts: number;
  /** pg-boss counts retry delays in whole seconds: the first retry waits 1-2x this, each later one twice as long. */
  backoffBaseSeconds: number;
  /**
   * pg-boss 10 has no lease renewal (no heartbeat): a delivery must finish within this, so it must
   * exceed the extraction's own deadline plus the store's; then the job goes to another worker.
   */
  expireInSeconds: number;
  /** How often this instance offers to run pg-boss's maintenance (expiry); one instance runs it per interval. */
  maintenanceIntervalSeconds?: number;
  /** Connections of this queue's own pool (the fenced transactions), besides pg-boss's. */
  poolSize?: number;
  onError?: (err: Error) => void;
}

/** A worker's settings (worker-config.ts) as pg-boss's retry policy and expiry. */
export function pgBossPolicyOf(c: {
  policy: { maxAttempts: number; backoffBaseMs: number };
  extraction: { timeoutMs: number };
  deadlines: { connectTimeoutMs: number; requestTimeoutMs: number };
}): Pick<PgBossQueueOptions, 'maxAttempts' | 'backoffBaseSeconds' | 'expireInSeconds'> {
  // A delivery cannot renew its expiry (pg-boss 10): it must cover the whole job, the object's read
  // and the text's write (each within the store's deadlines) and the extraction's own deadline,
  // with a margin. Only a dead worker's job waits that long to go to another.
  const storeMs = 2 * (c.deadlines.connectTimeoutMs + c.deadlines.requestTimeoutMs);
  return {
    maxAttempts: c.policy.maxAttempts,
    backoffBaseSeconds: Math.max(1, Math.round(c.policy.backoffBaseMs / 1000)),
    expireInSeconds: Math.ceil((c.extraction.timeoutMs + storeMs) / 1000) + 30,
  };
}

interface JobData {
  documentId: string;
  /**
   * The job's number in credmate's jobs identity sequence (the outbox row's id, or one drawn at
   * enqueue): extractions name their job by it, as the embedded queue's do by its row id (pg-boss's
   * own id is a UUID). Absent on jobs queued before it was added: drawn when the result is written.
   */
  jobNumber?: number;
}

interface LockedJob {
  state: string;
  retry_count: number;
  data: JobData;
}

// One fixed key for pg_advisory_xact_lock around the queues' creation (migrate-pg.ts uses another).
const QUEUE_SETUP_LOCK_KEY = '7243106515412020';

/** A new number from credmate's jobs identity sequence (the one the embedded queue's row ids come from). */
async function nextJobNumber(tx: PgTransaction): Promise<number> {
  const { rows } = await tx.query<{ n: string | number }>("SELECT nextval(pg_get_serial_sequence('jobs', 'id')) AS n");
  return Number(rows[0]!.n);
}

const asExecutor = (tx: PgTransaction): PgBoss.Db => ({
  executeSql: (text: string, values: unknown[]) => tx.query(text, values),
});

export class PgBossQueue implements JobQueue {
  readonly queue: string;
  readonly deadLetterQueue: string;
  private readonly schema: string;

  private constructor(
    readonly boss: PgBoss,
    private readonly pool: pg.Pool,
    private readonly documents: PgJobDocuments,
    queue: string,
    schema: string,
  ) {
    this.queue = queue;
    this.deadLetterQueue = `${queue}-dead`;
    this.schema = schema;
  }

  /** Starts pg-boss (installing or migrating its schema), creates both queues and applies the retry policy. */
  static async start(opts: PgBossQueueOptions): Promise<PgBossQueue> {
    const schema = opts.schema ?? 'pgboss';
    const boss = new PgBoss({
      connectionString: opts.connectionString,
      schema,
      maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 30,
    });
    boss.on('error', (err) => opts.onError?.(err));
    await boss.start();
    // The server's pool settings: bigint columns (sizes, epoch ms, sequence numbers) read as numbers,
    // as the document-store units expect, and a deadline on every statement.
    const pool = createPostgresPool(parseDatabaseUrl(opts.connectionString), {
      max: opts.poolSize ?? 4,
      applicationName: 'credmate-jobs',
    });
    pool.on('error', (err) => opts.onError?.(err));
    const self = new PgBossQueue(boss, pool, opts.documents ?? documentStoreJobs, opts.queue ?? 'extraction', schema);
    try {
      // pg-boss's createQueue creates a partition table and is not safe to run concurrently: four
      // processes started together on a fresh database deadlocked or hit duplicate type names. One
      // at a time, under a transaction-level advisory lock (let go at commit, or if this process dies).
      await self.inTransaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [QUEUE_SETUP_LOCK_KEY]);
        await self.ensureQueues(opts);
      });
    } catch (err) {
      await self.stop();
      throw err;
    }
    return self;
  }

  private async ensureQueues(opts: PgBossQueueOptions): Promise<void> {
    // The dead-letter queue first: the job table's foreign key names it. Nobody works it; its
    // jobs wait there (with the document and the last error) for a person, and depth() counts them.
    await this.boss.createQueue(this.deadLetterQueue);
    const policy: PgBoss.Queue = {
      name: this.queue,
      retryLimit: opts.maxAttempts - 1,
      retryDelay: Math.max(1, Math.round(opts.backoffBaseSeconds)),
      retryBackoff: true,
      expireInSeconds: opts.expireInSeconds,
      deadLetter: this.deadLetterQueue,
    };
    // createQueue leaves an existing queue as it was; updateQueue applies this start's policy to new jobs.
    await this.boss.createQueue(this.queue, policy);
    await this.boss.updateQueue(this.queue, policy);
    // The outcomes table is a migration's (pg/migrations/008), created under migratePg's lock.
    const { rows } = await this.pool.query<{ t: string | null }>(
      "SELECT to_regclass('credmate_job_outcomes')::text AS t",
    );
    if (!rows[0]?.t)
      throw new Error(
        'The PostgreSQL database has no credmate_job_outcomes table: its schema is older than this worker. ' +
          'Start the credmate server on this database first (it applies the migrations), then the workers.',
      );
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true, close: true });
    await this.pool.end();
  }

  async enqueue(documentId: string): Promise<string> {
    return this.inTransaction((tx) => this.enqueueIn(tx, documentId));
  }

  /**
   * Queues inside the caller's transaction, so the document and its job commit together or not at
   * all. `jobNumber`: the outbox row's id (job-outbox.ts); drawn from the same sequence when absent.
   */
  async enqueueIn(tx: PgTransaction, documentId: string, jobNumber?: number): Promise<string> {
    const data: JobData = { documentId, jobNumber: jobNumber ?? (await nextJobNumber(tx)) };
    const id = await this.boss.send(this.queue, data, { db: asExecutor(tx) });
    if (!id) throw new Error(`pg-boss did not queue the extraction of document ${documentId}.`);
    return id;
  }

  private async inTransaction<T>(work: (tx: PgTransaction) => Promise<T>): Promise<T> {
    const tx = await this.pool.connect();
    try {
      await tx.query('BEGIN');
      const out = await work(tx);
      await tx.query('COMMIT');
      return out;
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      tx.release();
    }
  }

  /**
   * A job whose every delivery expired (its workers died) is dead-lettered by pg-boss's maintenance,
   * where no worker of ours sees it: an idle worker records those outcomes and fails their documents,
   * once each (the outcome row's key).
   */
  private async settleExpiredDeadLetters(tx: PgTransaction): Promise<void> {
    const { rows } = await tx.query<{ id: string; data: JobData; retry_count: number }>(
      `SELECT j.id, j.data, j.retry_count FROM ${this.schema}.job j
       WHERE j.name = $1 AND j.state = 'failed'
         AND NOT EXISTS (SELECT 1 FROM credmate_job_outcomes o WHERE o.job_id = j.id)
       LIMIT 20`,
      [this.queue],
    );
    for (const row of rows) {
      const job = { jobId: row.id, documentId: row.data.documentId, fencingToken: row.retry_count + 1, attempt: 0 };
      if (await this.recordOutcome(tx, job, 'dead'))
        await this.documents.deadLettered(
          tx,
          job.documentId,
          `The worker stopped during each of ${row.retry_count + 1} attempts (the job expired).`,
        );
    }
  }

  /** The fetch and the document's claim in one transaction: a claim that fails leaves the job queued. */
  async claim(_workerId: string): Promise<ClaimedExtraction | null> {
    return this.inTransaction(async (tx) => {
      const [job] = await this.boss.fetch<JobData>(this.queue, {
        includeMetadata: true,
        batchSize: 1,
        db: asExecutor(tx),
      });
      if (!job) {
        await this.settleExpiredDeadLetters(tx);
        return null;
      }
      const lease: JobLease = {
        jobId: job.id,
        documentId: job.data.documentId,
        fencingToken: job.retryCount + 1,
        attempt: job.retryCount + 1,
      };
      const object = await this.documents.claimed(tx, lease.documentId);
      if (object) return { ...lease, ...object };
      // Deleted while queued: nothing to extract, and nothing to retry.
      await this.boss.cancel(this.queue, job.id, { db: asExecutor(tx) });
      return null;
    });
  }

  /** Locks the job row; the row when this delivery still holds the job, else null. */
  private async lockHeld(tx: PgTransaction, job: JobLease): Promise<LockedJob | null> {
    const { rows } = await tx.query<LockedJob>(
      `SELECT state, retry_count, data FROM ${this.schema}.job WHERE name = $1 AND id = $2 FOR UPDATE`,
      [this.queue, job.jobId],
    );
    const row = rows[0];
    return row && row.state === 'active' && row.retry_count + 1 === job.fencingToken ? row : null;
  }

  /**
   * Whether this delivery still holds the job: until pg-boss's maintenance expires it, a delivery past
   * its expiry still does (nobody else can have it, so its result is still the only one). pg-boss 10
   * cannot extend an expiry, so this only reports; expireInSeconds is sized to cover a whole job instead.
   */
  async renew(job: JobLease): Promise<boolean> {
    const { rows } = await this.pool.query<{ held: boolean }>(
      `SELECT state = 'active' AND retry_count + 1 = $3 AS held FROM ${this.schema}.job WHERE name = $1 AND id = $2`,
      [this.queue, job.jobId, job.fencingToken],
    );
    return rows[0]?.held === true;
  }

  private async recordOutcome(tx: PgTransaction, job: JobLease, outcome: 'done' | 'dead'): Promise<boolean> {
    const { rowCount } = await tx.query(
      `INSERT INTO credmate_job_outcomes (job_id, document_id, fencing_token, outcome) VALUES ($1, $2, $3, $4)
       ON CONFLICT (job_id) DO NOTHING`,
      [job.jobId, job.documentId, job.fencingToken, outcome],
    );
    return rowCount === 1;
  }

  async complete(job: JobLease, result: ExtractionResultRecord): Promise<boolean> {
    return this.inTransaction(async (tx) => {
      const held = await this.lockHeld(tx, job);
      if (!held) return false;
      if (!(await this.recordOutcome(tx, job, 'done'))) return false;
      const jobNumber = held.data.jobNumber ?? (await nextJobNumber(tx));
      await this.documents.completed(tx, { ...job, jobNumber }, result);
      await this.boss.complete(this.queue, job.jobId, { fencingToken: job.fencingToken }, { db: asExecutor(tx) });
      return true;
    });
  }

  async fail(job: JobLease, error: string, permanent: boolean): Promise<FailOutcome> {
    return this.inTransaction(async (tx): Promise<FailOutcome> => {
      const held = await this.lockHeld(tx, job);
      if (!held) return 'stale';
      // A document that can never extract skips its remaining attempts: pg-boss dead-letters a
      // failed job whose retry_count has reached its retry_limit.
      if (permanent)
        await tx.query(`UPDATE ${this.schema}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2`, [
          this.queue,
          job.jobId,
        ]);
      await this.boss.fail(this.queue, job.jobId, { error, fencingToken: job.fencingToken }, { db: asExecutor(tx) });
      const { rows } = await tx.query<{ state: string }>(
        `SELECT state FROM ${this.schema}.job WHERE name = $1 AND id = $2`,
        [this.queue, job.jobId],
      );
      if (rows[0]?.state !== 'failed') return 'retry';
      await this.recordOutcome(tx, job, 'dead');
      await this.documents.deadLettered(tx, job.documentId, error);
      return 'dead';
    });
  }

  /** pending as getQueueSize counts it (created or retry), running (active), dead (waiting in the dead-letter queue). */
  async depth(): Promise<QueueDepth> {
    const { rows } = await this.pool.query<QueueDepth>(
      `SELECT
         count(*) FILTER (WHERE name = $1 AND state < 'active')::int AS pending,
         count(*) FILTER (WHERE name = $1 AND state = 'active')::int AS running,
         count(*) FILTER (WHERE name = $2 AND state < 'active')::int AS dead
       FROM ${this.schema}.job WHERE name IN ($1, $2)`,
      [this.queue, this.deadLetterQueue],
    );
    return rows[0] ?? { pending: 0, running: 0, dead: 0 };
  }

  /** Until the earliest queued job is due (a retry backing off); null when none is waiting. */
  async msUntilNextRunnable(): Promise<number | null> {
    const { rows } = await this.pool.query<{ ms: number | null }>(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM min(start_after) - now()) * 1000)::float8 AS ms
       FROM ${this.schema}.job WHERE name = $1 AND state < 'active'`,
      [this.queue],
    );
    return rows[0]?.ms ?? null;
  }
}
