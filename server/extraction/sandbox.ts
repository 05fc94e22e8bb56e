/**
 * Runs the pipeline for one document at a time in a worker thread with a heap limit, a hard
 * deadline (the thread is terminated) and an RSS watchdog (canvas and tesseract's wasm memory
 * live outside the V8 heap). A hostile PDF fails its own job with a stable code; the next
 * document gets a fresh thread. Worker threads, not child processes, because the packaged
 * Electron app has the runAsNode fuse off.
 * Contract: `run` never rejects for a document's fault; it resolves an ExtractionOutcome and,
 * on success, the text that was read.
 */
import { Worker } from 'node:worker_threads';
import type { ExtractionErrorCode } from '../../common/extraction';
import type { ExtractedDocument } from './index';
import { checkHeader, LoadError } from './load';
import type { SandboxMessage } from './sandbox-worker';
import { threadEntry } from '../../node-shared/thread-entry';

export interface SandboxOptions {
  timeoutMs: number;
  /** V8 heap limit of the worker thread. */
  memoryMb: number;
  maxPages?: number;
  maxBytes?: number;
  /** Process RSS above which the running document is stopped (default memoryMb + 900). */
  rssLimitMb?: number;
  /** How long the thread may take to start before the run fails (default 60 s). */
  startTimeoutMs?: number;
  /** Where the worker's console output goes (default stderr): never the caller's stdout. */
  log?: (chunk: string) => void;
}

export interface ExtractionSandbox {
  run(bytes: Uint8Array): Promise<ExtractedDocument>;
  close(): Promise<void>;
}

const failure = (code: ExtractionErrorCode, message: string): ExtractedDocument => ({
  outcome: { error: { code, message } },
  text: null,
});

interface Live {
  worker: Worker;
  ready: Promise<void>;
}

/** Starts a worker thread with the heap limit; `ready` settles when it says so, fails, or the start times out. */
function spawnWorker(opts: SandboxOptions, log: (chunk: string) => void): Live {
  const entry = threadEntry(import.meta.url, 'sandbox-worker');
  const worker = new Worker(entry.source, {
    eval: entry.eval,
    workerData: { maxPages: opts.maxPages, maxBytes: opts.maxBytes },
    resourceLimits: {
      maxOldGenerationSizeMb: opts.memoryMb,
      maxYoungGenerationSizeMb: Math.min(64, Math.max(16, opts.memoryMb / 8)),
      stackSizeMb: 8,
    },
    stdout: true,
    stderr: true,
  });
  worker.stdout.on('data', (d: Buffer) => log(d.toString()));
  worker.stderr.on('data', (d: Buffer) => log(d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('start timeout')), opts.startTimeoutMs ?? 60_000);
    worker.on('message', (m: SandboxMessage) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    worker.once('exit', () => {
      clearTimeout(timer);
      reject(new Error('exited during start'));
    });
  });
  ready.catch(() => undefined);
  return { worker, ready };
}

/**
 * Sends one document to the worker and waits for its result, the deadline, the RSS watchdog, or the
 * thread's failure; `kill` disposes of a thread that did not answer cleanly.
 */
function awaitResult(
  l: Live,
  id: number,
  copy: Uint8Array<ArrayBuffer>,
  opts: SandboxOptions,
  rssLimit: number,
  kill: (l: Live) => Promise<void>,
): Promise<ExtractedDocument> {
  return new Promise<ExtractedDocument>((resolve) => {
    let settled = false;
    const finish = (result: ExtractedDocument, dispose: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(watchdog);
      l.worker.off('message', onMessage);
      l.worker.off('error', onError);
      l.worker.off('exit', onExit);
      if (dispose) void kill(l).then(() => resolve(result));
      else resolve(result);
    };
    const onMessage = (m: SandboxMessage) => {
      if (m.type === 'result' && m.id === id)
        finish({ outcome: m.outcome, text: m.text, explanation: m.explanation }, false);
    };
    const onError = (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY')
        finish(
          failure('out_of_memory', `The document needed more than ${opts.memoryMb} MB of memory and was stopped.`),
          true,
        );
      else finish(failure('crashed', 'The extractor crashed on this document.'), true);
    };
    const onExit = () => finish(failure('crashed', 'The extraction worker exited while reading this document.'), true);
    const deadline = setTimeout(
      () =>
        finish(
          failure(
            'timeout',
            `Extraction took longer than ${opts.timeoutMs} ms and was stopped. The PDF may be very large or malformed; re-export it or split it.`,
          ),
          true,
        ),
      opts.timeoutMs,
    );
    const watchdog = setInterval(() => {
      if (process.memoryUsage.rss() > rssLimit) {
        finish(
          failure(
            'out_of_memory',
            `The document needed more than ${Math.round(rssLimit / 1048576)} MB of memory and was stopped.`,
          ),
          true,
        );
      }
    }, 100);
    l.worker.on('message', onMessage);
    l.worker.once('error', onError);
    l.worker.once('exit', onExit);
    l.worker.postMessage({ id, bytes: copy }, [copy.buffer]);
  });
}

export function createExtractionSandbox(opts: SandboxOptions): ExtractionSandbox {
  let live: Live | null = null;
  let nextId = 1;
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;
  const log = opts.log ?? ((chunk: string) => process.stderr.write(chunk));
  const rssLimit = (opts.rssLimitMb ?? opts.memoryMb + 900) * 1024 * 1024;

  async function kill(l: Live): Promise<void> {
    if (live === l) live = null;
    await l.worker.terminate().catch(() => undefined);
  }

  async function runOne(bytes: Uint8Array): Promise<ExtractedDocument> {
    if (closed) return failure('crashed', 'The extraction sandbox is closed.');
    // Not a PDF, empty or too large: answered here, no thread needed.
    try {
      checkHeader(bytes, opts.maxBytes);
    } catch (err) {
      if (err instanceof LoadError) return failure(err.code, err.message);
      throw err;
    }
    const l = (live ??= spawnWorker(opts, log));
    try {
      await l.ready;
    } catch {
      await kill(l);
      return failure('crashed', 'The extraction worker could not start.');
    }
    const id = nextId++;
    // Copy into a buffer of our own and transfer it: the caller keeps its bytes.
    const copy = new Uint8Array(bytes);
    return awaitResult(l, id, copy, opts, rssLimit, kill);
  }

  return {
    run(bytes) {
      const result = chain.then(() => runOne(bytes));
      chain = result.catch(() => undefined);
      return result.catch(() => failure('crashed', 'The extraction sandbox failed unexpectedly.'));
    },
    async close() {
      closed = true;
      await chain;
      const l = live;
      live = null;
      if (!l) return;
      const exited = new Promise<void>((resolve) => l.worker.once('exit', () => resolve()));
      l.worker.postMessage({ type: 'close' });
      const timer = setTimeout(() => void l.worker.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
