import { Worker } from 'node:worker_threads';
import { threadEntry } from '../node-shared/thread-entry';

/** What a thread body answers to each request: its id, and a message when it failed. */
export interface ThreadReply {
  id: number;
  error?: string;
}

/**
 * Requests to a worker thread whose body answers each `{ id, ... }` message with a ThreadReply,
 * in order. The thread never keeps the process alive. If it dies, its outstanding requests fail
 * with the reason and the next request starts a new one (a dead thread must not leave every
 * later caller waiting forever).
 */
export class ThreadRequests<M extends object> {
  private worker: Worker | null = null;
  private nextId = 1;
  /** Ascending ids (a Map keeps insertion order). */
  private readonly pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  /**
   * @param callerUrl `import.meta.url` of the module beside the body (see thread-entry.ts)
   * @param what names the work in errors, e.g. "fdatasync of the database WAL"
   */
  constructor(
    private readonly callerUrl: string,
    private readonly body: string,
    private readonly what: string,
    private readonly workerData?: unknown,
  ) {}

  /** Sends a request; settles with the thread's reply. */
  send(message: M): Promise<void> {
    const worker = this.start();
    const id = this.nextId++;
    const answered = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    worker.postMessage({ ...message, id });
    return answered;
  }

  /** True while a request is unanswered. */
  get waiting(): boolean {
    return this.pending.size > 0;
  }

  /** Resolves every request up to `id`, for answers learnt other than by message (wal-sync.ts). */
  resolveUpTo(id: number): void {
    for (const [pendingId, p] of this.pending) {
      if (pendingId > id) break;
      this.pending.delete(pendingId);
      p.resolve();
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const entry = threadEntry(this.callerUrl, this.body);
    const worker = new Worker(entry.source, { eval: entry.eval, workerData: this.workerData });
    worker.unref();
    worker.on('message', (m: ThreadReply) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error === undefined) p?.resolve();
      else p?.reject(new Error(`${this.what} failed: ${m.error}`));
    });
    const fail = (err: Error): void => {
      if (this.worker !== worker) return; // closed, or already replaced
      this.worker = null;
      for (const p of this.pending.values()) p.reject(new Error(`${this.what} failed: ${err.message}`));
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`its thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
