import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { threadEntry } from '../thread-entry';

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
  private readonly thread: Worker;
  private nextId = 1;
  /** Ids in ascending order (Map keeps insertion order). */
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  /** [0]: the id of the newest sync the thread finished; [1]: 1 once a sync failed (answers then come by message only, in order). */
  private readonly done = new Int32Array(new SharedArrayBuffer(8));

  constructor(walPath: string) {
    this.fd = fs.openSync(walPath, 'r');
    const entry = threadEntry(import.meta.url, 'wal-sync-thread');
    this.thread = new Worker(entry.source, { eval: entry.eval, workerData: { fd: this.fd, done: this.done } });
    this.thread.unref();
    this.thread.on('message', (m: { id: number; error?: string }) => {
      if (!m.error) return this.resolveUpTo(m.id);
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      w?.reject(new Error(`fdatasync of the database WAL failed: ${m.error}`));
    });
    const fail = (err: Error): void => {
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    this.thread.on('error', fail);
    this.thread.on('exit', (code) => fail(new Error(`the WAL sync thread exited (code ${code})`)));
  }

  sync(): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.thread.postMessage(id);
    });
  }

  /** Resolves the syncs the thread has finished, without waiting for its messages. Cheap: one atomic read. */
  poll(): void {
    if (!this.waiting.size) return;
    // The id first: a failure before that sync was published first, so it is seen by the second load.
    const finished = Atomics.load(this.done, 0);
    if (Atomics.load(this.done, 1) === 0) this.resolveUpTo(finished);
  }

  private resolveUpTo(id: number): void {
    for (const [waitingId, w] of this.waiting) {
      if (waitingId > id) break;
      this.waiting.delete(waitingId);
      w.resolve();
    }
  }

  async close(): Promise<void> {
    await this.thread.terminate();
    fs.closeSync(this.fd);
  }
}
