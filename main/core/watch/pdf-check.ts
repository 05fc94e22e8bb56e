/**
 * The watched folders' preflight (issue 16): the checks the import preview makes with pdf.js in
 * the window (renderer/pdf/preflight.ts), made here in plain Node for files that settle in a
 * watched folder, where no preview runs; both run the same checks and say the same reasons
 * (common/pdf-preflight.ts). Each PDF is opened in a worker thread
 * (pdf-check-thread.ts), one file at a time, within a deadline and a memory cap: a file that does
 * not answer in time has its thread ended and is left out as too slow to open. What the server would
 * refuse (encrypted, damaged, nothing to read, too many pages) comes back as the reason to leave it out.
 */
import { Worker } from 'node:worker_threads';
import { timedOutProblem } from '../../../common/pdf-preflight';
import { threadEntry } from '../../../node-shared/thread-entry';
import type { PdfCheckReply, PdfCheckRequest } from './pdf-check-thread';

/** As long as the preview gives one file (PREFLIGHT_SECONDS). */
export const PDF_CHECK_TIMEOUT_MS = 30_000;
/** Heap of a check thread: far more than any credential needs, far less than a bomb wants. */
const CHECK_HEAP_MB = 512;
/** Files larger than this are not opened here (the server's limit, when known, is checked first). */
export const PDF_CHECK_MAX_BYTES = 128 * 1024 * 1024;

export interface PdfCheckOptions {
  /** The server's page limit when known. */
  maxPages: number | null;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Why the server would refuse the file, in the import preview's words; null: fine. */
export function reasonFor(reply: PdfCheckReply): string | null {
  return reply.ok ? null : reply.problem.reason;
}

type Outcome = { reply: PdfCheckReply } | { error: string } | { unchecked: true } | { aborted: true };

/** An idle thread is ended after this long (it holds pdf.js and its caches). */
const IDLE_MS = 120_000;
/** For the thread to load pdf.js; not counted in a file's deadline (14 s under tsx on a loaded machine). */
const START_MS = 180_000;

/**
 * One thread kept between groups: starting one (and pdf.js in it) took 13-15 s under tsx on a
 * loaded machine, checking a one-page PDF in a warm one 20-30 ms. It never holds the process open.
 * Exported for tests, which give it another body (a thread that fails while idle).
 */
export class CheckThread {
  private worker: Worker | null = null;
  private ready: Promise<Worker | null> | null = null;
  private idle: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private inCheck = false;

  /** The thread's body: a module beside `callerUrl` (threadEntry). */
  constructor(private readonly body: { callerUrl: string; name: string }) {}

  /** Whether a thread is held (starting, checking or idle). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Whether a file is with the thread now (sent, not yet answered). */
  get checking(): boolean {
    return this.inCheck;
  }

  /**
   * Checks one file (one at a time); ends the thread when it does not answer by the deadline, or
   * when `signal` aborts (then the outcome is `aborted` and the next check starts a fresh thread).
   */
  run(req: PdfCheckRequest, timeoutMs: number, signal?: AbortSignal): Promise<Outcome> {
    const next = this.chain.then(() => this.runNow(req, timeoutMs, signal));
    this.chain = next;
    return next;
  }

  private async runNow(req: PdfCheckRequest, timeoutMs: number, signal?: AbortSignal): Promise<Outcome> {
    if (signal?.aborted) return { aborted: true };
    if (this.idle) clearTimeout(this.idle);
    // Aborted while pdf.js loads (up to START_MS): the thread is ended, which ends the start.
    const onAbort = () => this.stop();
    signal?.addEventListener('abort', onAbort, { once: true });
    let worker: Worker | null;
    try {
      worker = await this.start();
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (signal?.aborted) return { aborted: true };
    // No thread (it could not load pdf.js): nothing is known against the file, and the server checks it.
    if (!worker) return { unchecked: true };
    return this.check(worker, req, timeoutMs, signal);
  }

  private check(worker: Worker, req: PdfCheckRequest, timeoutMs: number, signal?: AbortSignal): Promise<Outcome> {
    worker.ref();
    this.inCheck = true;
    return new Promise<Outcome>((resolve) => {
      const done = (outcome: Outcome) => {
        this.inCheck = false;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        worker.unref();
        if (this.worker === worker) this.idle = setTimeout(() => this.stop(), IDLE_MS).unref();
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        this.stop();
        done({ error: timedOutProblem(Math.round(timeoutMs / 1000)).reason });
      }, timeoutMs);
      // The thread's own message may name the path: not repeated (it reaches the window and the terminal).
      const onMessage = (m: PdfCheckReply | { error: string }) =>
        done(
          'error' in m ? { error: 'It could not be read: it was moved, or this app may not read it.' } : { reply: m },
        );
      // The thread died on this file (a pdf.js crash, its heap cap): the file is what did it.
      const onError = (err: Error & { code?: string }) => {
        this.stop();
        done({
          error:
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? 'Opening it needs more memory than a credential does. Re-export or re-scan it.'
              : 'pdf.js failed on it. Re-export or re-scan it.',
        });
      };
      const onExit = () => {
        this.stop();
        done({ error: 'pdf.js failed on it. Re-export or re-scan it.' });
      };
      // The watch is closing: the file is not judged; the thread is ended so the close need not wait for it.
      const onAbort = () => {
        done({ aborted: true });
        this.stop();
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage(req);
    });
  }

  stop(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    void worker?.terminate();
  }

  /** The thread once it has loaded pdf.js (it says `ready`); null when it could not. */
  private start(): Promise<Worker | null> {
    if (this.ready) return this.ready;
    let worker: Worker;
    try {
      const entry = threadEntry(this.body.callerUrl, this.body.name);
      worker = new Worker(entry.source, {
        eval: entry.eval,
        resourceLimits: { maxOldGenerationSizeMb: CHECK_HEAP_MB },
      });
    } catch {
      // No thread body here (a build without it): the files go unchecked rather than the watch stopping.
      return Promise.resolve(null);
    }
    this.worker = worker;
    // For the thread's whole life, not only during a check: an error or exit while it is idle
    // (pdf.js failing late, say) would otherwise crash the process ('error' unheard) or leave a
    // dead thread to post the next file to. It is let go; the next check starts another.
    const gone = () => {
      if (this.worker === worker) this.stop();
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    this.ready = new Promise<Worker | null>((resolve) => {
      const finish = (w: Worker | null) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', fail);
        worker.off('exit', fail);
        if (!w && this.worker === worker) this.stop();
        resolve(w);
      };
      const timer = setTimeout(() => finish(null), START_MS);
      const onMessage = (m: { ready?: boolean }) => m.ready === true && finish(worker);
      const fail = () => finish(null);
      worker.on('message', onMessage);
      worker.on('error', fail);
      worker.on('exit', fail);
    });
    return this.ready;
  }
}

const thread = new CheckThread({ callerUrl: import.meta.url, name: 'pdf-check-thread' });

/** Whether the watches' check thread holds a file now (for tests that act during a check). */
export function pdfCheckInProgress(): boolean {
  return thread.checking;
}

/**
 * Checks each PDF (path and size from the scan) in turn; answers the reason to leave each one out,
 * or null for a file the server can read. Files over PDF_CHECK_MAX_BYTES are not opened (null):
 * the server's own limit, when known, has left them out already; nor are any when the thread cannot
 * load pdf.js (null: the server still checks each file on upload). When `signal` aborts (the watch
 * is closing) the thread is ended and this rejects with the signal's reason: the files not checked
 * are not judged, and a later scan of the folder finds them again.
 */
export async function checkPdfs(
  files: readonly { path: string; sizeBytes: number }[],
  opts: PdfCheckOptions,
): Promise<Map<string, string | null>> {
  const reasons = new Map<string, string | null>();
  if (files.length === 0) return reasons;
  for (const f of files) {
    opts.signal?.throwIfAborted();
    if (f.sizeBytes > PDF_CHECK_MAX_BYTES) {
      reasons.set(f.path, null);
      continue;
    }
    const req = { path: f.path, maxPages: opts.maxPages };
    const outcome = await thread.run(req, opts.timeoutMs ?? PDF_CHECK_TIMEOUT_MS, opts.signal);
    if ('aborted' in outcome) opts.signal?.throwIfAborted();
    reasons.set(f.path, 'reply' in outcome ? reasonFor(outcome.reply) : 'error' in outcome ? outcome.error : null);
  }
  return reasons;
}
