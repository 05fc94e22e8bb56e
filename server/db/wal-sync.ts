import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { threadEntry } from '../thread-entry';

/**
 * fdatasync of the database's WAL on a thread of its own. Why: on libuv's shared pool (4 threads,
 * shared with the embedded store's thread) each sync queued behind the store's file operations;
 * under bench:ingest's 100 clients that queue, not the disk, was most of a complete's latency.
 */
export class WalSync {
  private readonly fd: number;
  private readonly thread: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  constructor(walPath: string) {
    this.fd = fs.openSync(walPath, 'r');
    const entry = threadEntry(import.meta.url, 'wal-sync-thread');
    this.thread = new Worker(entry.source, { eval: entry.eval, workerData: { fd: this.fd } });
    this.thread.unref();
    this.thread.on('message', (m: { id: number; error?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error) w?.reject(new Error(`fdatasync of the database WAL failed: ${m.error}`));
      else w?.resolve();
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

  async close(): Promise<void> {
    await this.thread.terminate();
    fs.closeSync(this.fd);
  }
}
