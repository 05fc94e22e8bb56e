/**
 * A few worker threads running one small inline body, one request per thread at a time, with a
 * bounded queue. For CPU-bound work that must stay off the API's event loop AND off libuv's
 * shared pool, which the server's and the embedded store's file I/O use (password scrypt,
 * hashing stored objects). The body is inline source, not a module beside this one, so no build
 * (tsx, esbuild, electron-vite) has to list it as an entry; it may require only Node built-ins.
 *
 * The body gets `parentPort` and answers each message with `{ value }` or `{ error }`.
 */
import { Worker } from 'node:worker_threads';

/** Refused at once: every thread is busy and the queue is full. */
export class ThreadsBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`all threads are busy and ${retryAfterSeconds} s of work is queued`);
    this.name = 'ThreadsBusyError';
  }
}

interface Job {
  request: unknown;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Thread {
  worker: Worker;
  job: Job | null;
  dead: boolean;
}

export class InlineThreadPool {
  private readonly idle: Thread[] = [];
  private readonly busy = new Set<Thread>();
  private readonly queue: Job[] = [];
  private started = 0;
  private closed = false;

  /**
   * @param body CommonJS source run in each thread (see above)
   * @param name thread name for `top -H` and perf (Linux, at most 15 characters)
   * @param what names the work in errors, e.g. "Hashing the password"
   * @param secondsPerJob rough cost of one job, for the Retry-After of a refusal
   */
  constructor(
    private readonly body: string,
    private readonly name: string,
    private readonly what: string,
    private readonly threads: number,
    private readonly maxQueued: number,
    private readonly secondsPerJob = 1,
  ) {}

  /** Runs `request` on a free thread, or queues it; throws ThreadsBusyError rather than queue beyond the bound. */
  run<T>(request: unknown): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`${this.what} failed: the server is stopping.`));
    const free = this.idle.pop() ?? (this.started < this.threads ? this.startThread() : null);
    if (!free && this.queue.length >= this.maxQueued) {
      const waiting = this.queue.length + this.busy.size;
      return Promise.reject(
        new ThreadsBusyError(Math.max(1, Math.ceil((waiting * this.secondsPerJob) / this.threads))),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const job: Job = { request, resolve: resolve as (v: unknown) => void, reject };
      if (free) this.dispatch(free, job);
      else this.queue.push(job);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    this.busy.clear();
    for (const job of this.queue.splice(0)) job.reject(new Error(`${this.what} failed: the server is stopping.`));
    await Promise.all(all.map((t) => t.worker.terminate()));
  }

  private startThread(): Thread {
    this.started++;
    const naming = `try { require('node:fs').writeFileSync('/proc/thread-self/comm', ${JSON.stringify(this.name.slice(0, 15))}); } catch {}\n`;
    const thread: Thread = { worker: new Worker(naming + this.body, { eval: true }), job: null, dead: false };
    // An idle thread never keeps the process alive; a busy one does (dispatch refs it), so a
    // command that awaits its answer (credmate users add) does not exit before it arrives.
    thread.worker.unref();
    thread.worker.on('message', (m: { value?: unknown; error?: string }) => {
      const job = thread.job;
      thread.job = null;
      if (m.error === undefined) job?.resolve(m.value);
      else job?.reject(new Error(`${this.what} failed: ${m.error}`));
      this.next(thread);
    });
    const fail = (err: Error) => {
      if (thread.dead) return; // 'error' is followed by 'exit'
      thread.dead = true;
      this.busy.delete(thread);
      const i = this.idle.indexOf(thread);
      if (i >= 0) this.idle.splice(i, 1);
      if (this.closed) return;
      // A dead thread is replaced on demand; its job fails instead of waiting forever.
      this.started--;
      thread.job?.reject(new Error(`${this.what} failed: ${err.message}`));
      thread.job = null;
      const waiting = this.queue.shift();
      if (waiting) this.dispatch(this.startThread(), waiting);
    };
    thread.worker.on('error', fail);
    thread.worker.on('exit', (code) => fail(new Error(`its thread exited (code ${code})`)));
    return thread;
  }

  private dispatch(thread: Thread, job: Job): void {
    thread.job = job;
    this.busy.add(thread);
    thread.worker.ref();
    thread.worker.postMessage(job.request);
  }

  private next(thread: Thread): void {
    const waiting = this.queue.shift();
    if (waiting) return this.dispatch(thread, waiting);
    this.busy.delete(thread);
    thread.worker.unref();
    if (!this.closed) this.idle.push(thread);
  }
}
