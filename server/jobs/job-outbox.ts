/**
 * On PostgreSQL the `jobs` table is an outbox, not the queue: a completed upload (or a reprocess)
 * writes its job row in the same transaction as its document, with the one unit text both
 * databases run (queue.ts enqueueJob), and this relay hands each row to pg-boss afterwards: the
 * pg-boss send and the row's deletion commit together, so a job reaches pg-boss exactly once. A
 * process that dies between the document's commit and the hand-off loses nothing: the row waits
 * for the next relay of any API process (at start, on every wake, and every RELAY_EVERY_MS).
 * Relays in several API processes share the rows (FOR UPDATE SKIP LOCKED), never hand one twice.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema';
import { runUnitOnPostgres } from '../db/units';
import { errorFields, type Logger } from '../log';
import type { PgBossQueue, PgTransaction } from './pg-boss-queue';
import { dropRelayedJobs } from './queue';

const RELAY_EVERY_MS = 5_000;
const BATCH = 200;

export class JobOutbox {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly queue: Pick<PgBossQueue, 'enqueueIn'>,
    private readonly log: Logger,
  ) {}

  /** Relays now and then every RELAY_EVERY_MS until stop(). */
  start(): void {
    this.wake();
    this.timer = setInterval(() => this.wake(), RELAY_EVERY_MS);
    this.timer.unref();
  }

  /** Hands the waiting rows to pg-boss soon; calls during a relay make it run once more. */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.relayAll()
      .then(() => undefined)
      .catch((err: unknown) => this.log.warn('jobs.outbox_relay_failed', errorFields(err)))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Stops the timer and waits for a relay under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.again = false;
    await this.running;
  }

  /** Relays batch after batch until no row is waiting; how many rows were handed over. */
  async relayAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const handed = await this.relayBatch();
      total += handed;
      if (handed < BATCH) return total;
    }
  }

  private relayBatch(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('jobs')
        .select(['id', 'document_id'])
        .where('state', '=', 'queued')
        .orderBy('id')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      if (!rows.length) return 0;
      const tx = onTransaction(trx);
      for (const row of rows) await this.queue.enqueueIn(tx, row.document_id, row.id);
      await runUnitOnPostgres(trx, dropRelayedJobs(rows.map((r) => r.id)));
      return rows.length;
    });
  }
}

/** pg-boss runs its SQL through `query(text, values)`: here, on the relay's own transaction. */
function onTransaction(trx: Kysely<DatabaseSchema>): PgTransaction {
  const query = async (text: string, values: unknown[] = []) => {
    const result = await trx.executeQuery(CompiledQuery.raw(text, values));
    return { rows: result.rows, rowCount: Number(result.numAffectedRows ?? result.rows.length) };
  };
  return { query } as unknown as PgTransaction;
}
