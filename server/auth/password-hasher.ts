/**
 * scrypt for passwords, on threads of its own with a bounded queue. Why: crypto.scrypt runs on
 * libuv's shared 4-thread pool, which the server's and the embedded store's file I/O also use; a
 * 128 MiB scrypt holds a pool thread for ~0.3-1 s, so 40 anonymous logins kept every file read
 * and write waiting (a signed-in download took 52 s). Here at most `threads` hashes run at once,
 * each on its own worker thread (scryptSync: never the pool), at most `maxQueued` wait, and any
 * more are refused at once with a time to retry.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../common/errors';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

interface Job {
  password: string;
  salt: Buffer;
  keyLength: number;
  params: ScryptParams;
  resolve(key: Buffer): void;
  reject(err: Error): void;
}

/** Refused because `threads` hashes run and `maxQueued` wait already. */
export class PasswordHashingBusy extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('unavailable', `Too many sign-ins are being checked right now; wait ${retryAfterSeconds} s and try again.`);
  }
}

/**
 * The thread body, inline rather than a module beside this one: it needs nothing but node:crypto,
 * and no build (tsx, esbuild, electron-vite) has to know about it. Named for `top -H` and perf.
 */
const THREAD_BODY = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
try { require('node:fs').writeFileSync('/proc/thread-self/comm', 'cm-password'); } catch {}
parentPort.on('message', ({ password, salt, keyLength, params }) => {
  try {
    parentPort.postMessage({ key: crypto.scryptSync(password, salt, keyLength, params) });
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
`;

interface HashThread {
  worker: Worker;
  job: Job | null;
  dead: boolean;
}

export class PasswordHasher {
  private readonly idle: HashThread[] = [];
  private readonly busy = new Set<HashThread>();
  private readonly queue: Job[] = [];
  private started = 0;
  private closed = false;

  constructor(
    private readonly threads: number,
    private readonly maxQueued: number,
  ) {}

  /** scrypt of `password`; throws PasswordHashingBusy (503) rather than queue beyond the bound. */
  derive(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
    if (this.closed) return Promise.reject(new AppError('unavailable', 'The server is stopping; sign in again once it is back.'));
    const free = this.idle.pop() ?? (this.started < this.threads ? this.startThread() : null);
    if (!free && this.queue.length >= this.maxQueued) {
      // Each waiting hash takes about a second of one thread.
      return Promise.reject(new PasswordHashingBusy(Math.max(1, Math.ceil((this.queue.length + this.busy.size) / this.threads))));
    }
    return new Promise<Buffer>((resolve, reject) => {
      const job: Job = { password, salt, keyLength, params, resolve, reject };
      if (free) this.run(free, job);
      else this.queue.push(job);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    this.busy.clear();
    for (const job of this.queue.splice(0)) job.reject(new AppError('unavailable', 'The server is stopping; sign in again once it is back.'));
    await Promise.all(all.map((t) => t.worker.terminate()));
  }

  private startThread(): HashThread {
    this.started++;
    const thread: HashThread = { worker: new Worker(THREAD_BODY, { eval: true }), job: null, dead: false };
    // An idle thread never keeps the process alive; a busy one does (run() refs it), so a
    // command that awaits a hash (credmate users add) does not exit before it arrives.
    thread.worker.unref();
    thread.worker.on('message', (m: { key?: Uint8Array; error?: string }) => {
      const job = thread.job;
      thread.job = null;
      if (m.key) job?.resolve(Buffer.from(m.key.buffer, m.key.byteOffset, m.key.byteLength));
      else job?.reject(new Error(`Hashing the password failed: ${m.error}`));
      this.next(thread);
    });
    const fail = (err: Error) => {
      // A dead thread is replaced on demand; its job fails instead of waiting forever.
      if (thread.dead) return; // 'error' is followed by 'exit'
      thread.dead = true;
      this.busy.delete(thread);
      const i = this.idle.indexOf(thread);
      if (i >= 0) this.idle.splice(i, 1);
      if (this.closed) return;
      this.started--;
      thread.job?.reject(new Error(`Hashing the password failed: ${err.message}`));
      thread.job = null;
      const waiting = this.queue.shift();
      if (waiting) this.run(this.startThread(), waiting);
    };
    thread.worker.on('error', fail);
    thread.worker.on('exit', (code) => fail(new Error(`its thread exited (code ${code})`)));
    return thread;
  }

  private run(thread: HashThread, job: Job): void {
    thread.job = job;
    this.busy.add(thread);
    thread.worker.ref();
    const { password, salt, keyLength, params } = job;
    thread.worker.postMessage({ password, salt, keyLength, params });
  }

  private next(thread: HashThread): void {
    const waiting = this.queue.shift();
    if (waiting) return this.run(thread, waiting);
    this.busy.delete(thread);
    thread.worker.unref();
    if (!this.closed) this.idle.push(thread);
  }
}
