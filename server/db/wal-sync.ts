import fs from 'node:fs';
import { ThreadRequests } from '../thread-requests';

/**
 * fdatasync of the database's WAL on a thread of its own. Why: on libuv's shared pool (4 threads,
 * shared with the embedded store's thread) each sync queued behind the store's file operations;
 * under bench:ingest's 100 clients that queue, not the disk, was most of a complete's latency.
 * The thread's answer is also read from shared memory by `poll()`: a loop busy with a burst of
 * requests would otherwise see the answer's message only after every request of its current turn
 * (tens of ms under 100 clients, while the sync itself takes ~0.3 ms).
 */
export class WalSync {
  private readonly fd: number;
  /** [0]: the id of the newest sync the thread finished; [1]: 1 once a sync failed (answers then come by message only, in order). */
  private readonly done = new Int32Array(new SharedArrayBuffer(8));
  private readonly thread: ThreadRequests<Record<string, never>>;

  constructor(walPath: string) {
    this.fd = fs.openSync(walPath, 'r');
    this.thread = new ThreadRequests(import.meta.url, 'wal-sync-thread', 'fdatasync of the database WAL', {
      fd: this.fd,
      done: this.done,
    });
    // Start the thread now, with one sync: its start (a module load; under tsx a transpile too,
    // 0.8-1.7 s on a loaded machine) would otherwise fall on the first durable write a client
    // waits for, the first import's batch.
    this.sync().catch(() => undefined);
  }

  sync(): Promise<void> {
    return this.thread.send({});
  }

  /** Resolves the syncs the thread has finished, without waiting for its messages. Cheap: one atomic read. */
  poll(): void {
    if (!this.thread.waiting) return;
    // The id first: a failure before that sync was published first, so it is seen by the second load.
    const finished = Atomics.load(this.done, 0);
    if (Atomics.load(this.done, 1) === 0) this.thread.resolveUpTo(finished);
  }

  async close(): Promise<void> {
    await this.thread.close();
    fs.closeSync(this.fd);
  }
}
