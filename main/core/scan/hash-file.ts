import { Worker } from 'node:worker_threads';
import { threadEntry } from '../../../server/thread-entry';
import type { HashReply, HashRequest } from './hash-thread';

export interface FileDigest {
  sha256: string;
  pages: number | null;
  bytes: number;
}

export interface HashOptions {
  signal?: AbortSignal;
  countPages?: boolean;
  /** Called as bytes are hashed (for progress). */
  onBytes?: (n: number) => void;
}

interface Pending {
  resolve: (d: FileDigest | null) => void;
  reject: (err: unknown) => void;
  onBytes?: (n: number) => void;
  cancelled: () => void;
}

/**
 * One thread that hashes files for this process, requests answered in order. Why a thread: on the
 * main thread, SHA-256 and the reads behind it were ~0.8 s per GB of a bulk import, on the same
 * thread that drives the uploads (and, in the app, answers the window). Started on first use; it
 * keeps the process alive only while a file is being hashed.
 */
class HashThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  hash(path: string, opts: HashOptions & { pdfOnly?: boolean }): Promise<FileDigest | null> {
    opts.signal?.throwIfAborted();
    const worker = this.start();
    const id = this.nextId++;
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    return new Promise<FileDigest | null>((resolve, reject) => {
      // The thread stops the file between two chunks and answers `cancelled`: rejected then.
      const onAbort = (): void => {
        Atomics.store(cancel, 0, 1);
      };
      const settle = (): void => {
        this.pending.delete(id);
        opts.signal?.removeEventListener('abort', onAbort);
        if (this.pending.size === 0) this.worker?.unref();
      };
      this.pending.set(id, {
        resolve: (d) => (settle(), resolve(d)),
        reject: (e) => (settle(), reject(e)),
        onBytes: opts.onBytes,
        cancelled: () => (settle(), reject(opts.signal?.reason)),
      });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      worker.ref();
      worker.postMessage({ id, path, countPages: opts.countPages ?? false, pdfOnly: opts.pdfOnly ?? false, cancel } satisfies HashRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const entry = threadEntry(import.meta.url, 'hash-thread');
    const worker = new Worker(entry.source, { eval: entry.eval });
    worker.on('message', (m: HashReply) => {
      const p = this.pending.get(m.id);
      if (!p) return; // cancelled meanwhile
      if (m.type === 'bytes') p.onBytes?.(m.n);
      else if (m.type === 'done') p.resolve(m.digest);
      else if (m.type === 'error') p.reject(Object.assign(new Error(m.error.message), m.error));
      else p.cancelled();
    });
    const fail = (err: Error): void => {
      this.worker = null;
      for (const p of [...this.pending.values()]) p.reject(err);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The hashing thread stopped (code ${code}).`)));
    this.worker = worker;
    return worker;
  }
}

const thread = new HashThread();

/**
 * SHA-256 (and a page count) of a file, read in 1 MiB chunks on the hashing thread: memory stays
 * flat whatever the file size. With `pdfOnly`, a file that does not start with `%PDF-` answers
 * null after its first chunk. Errors keep their `code` (ENOENT, EACCES...).
 */
export function hashFile(path: string, opts: HashOptions & { pdfOnly: true }): Promise<FileDigest | null>;
export function hashFile(path: string, opts?: HashOptions): Promise<FileDigest>;
export function hashFile(path: string, opts: HashOptions & { pdfOnly?: boolean } = {}): Promise<FileDigest | null> {
  return thread.hash(path, opts);
}
