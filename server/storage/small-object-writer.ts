import { Worker } from 'node:worker_threads';
import { threadEntry } from '../thread-entry';
import type { WriteReply, WriteRequest } from './small-object-writer-thread';

/**
 * Writes small objects (most documents) for the embedded store on a thread of its own, with
 * synchronous file calls. Why: as async calls each object took ~5 round trips to libuv's pool,
 * whose threads run at the API's priority, and creating a file costs ~0.7 ms of kernel CPU on
 * this kind of machine: under bench:ingest's 100 clients that CPU competed with the API's
 * requests. This thread runs at a lower priority than the store's own, and the store's event loop
 * never waits on the disk.
 */
export class SmallObjectWriter {
  private readonly thread: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  constructor() {
    const entry = threadEntry(import.meta.url, 'small-object-writer-thread');
    this.thread = new Worker(entry.source, { eval: entry.eval });
    this.thread.unref();
    this.thread.on('message', (m: WriteReply) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if ('error' in m) w?.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else w?.resolve();
    });
    const fail = (err: Error): void => {
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    this.thread.on('error', fail);
    this.thread.on('exit', (code) => fail(new Error(`the store's writer thread exited (code ${code})`)));
  }

  /** Writes `body` to `tmpPath` (creating its directory if needed), then renames it to `finalPath`; nothing is left on failure. */
  write(tmpPath: string, finalPath: string, body: Buffer): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.thread.postMessage({ id, tmpPath, finalPath, body } satisfies WriteRequest);
    });
  }

  close(): Promise<number> {
    return this.thread.terminate();
  }
}
