import { Worker } from 'node:worker_threads';
import { threadEntry } from '../../../node-shared/thread-entry';
import type { FileIoReply, FileIoRequest } from './file-io-thread';

/** A request as sent, before its id (Omit on each member of the union, not on the union). */
type Outgoing = FileIoRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** A part buffer in shared memory: the reading thread fills it in place (upload/read-part.ts). */
export interface PartSlot {
  id: number;
  memory: SharedArrayBuffer;
  view: Buffer;
}

interface Pending {
  settle: (reply: FileIoReply) => void;
  onBytes?: (n: number) => void;
}

/**
 * One file I/O thread (file-io-thread.ts), requests answered in order. Started on first use; it
 * keeps the process alive only while a request is outstanding. If it dies, its requests fail and
 * the next request starts a new one.
 */
export class FileIoThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Slots whose memory the current thread has (a restarted thread is given them again). */
  private readonly sharedSlots = new Set<number>();

  /** Hashes a file; resolves with the thread's final reply (progress goes to `onBytes`). */
  hash(req: Extract<Outgoing, { op: 'hash' }>, onBytes?: (n: number) => void): Promise<FileIoReply> {
    return this.send(req, onBytes);
  }

  /** Reads part of a file into a slot. */
  read(
    slot: PartSlot,
    req: { path: string; offset: number; size: number; expect: { sizeBytes: number; mtimeMs: number } },
  ): Promise<FileIoReply> {
    this.start();
    const memory = this.sharedSlots.has(slot.id) ? undefined : slot.memory;
    this.sharedSlots.add(slot.id);
    return this.send({ op: 'read', ...req, slot: slot.id, ...(memory ? { memory } : {}) });
  }

  /** stat() of each path, in one message each way (stat-batch.ts). */
  stat(paths: string[]): Promise<FileIoReply> {
    return this.send({ op: 'stat', paths });
  }

  /**
   * Starts the thread now, without keeping the process alive for it: its start (~0.1-0.3 s on a
   * 2-core machine) then overlaps whatever the caller does next instead of a first request.
   */
  warmUp(): void {
    if (!this.worker) this.start().unref();
  }

  /** The slot is dropped from the pool: the thread lets go of its memory too. */
  forget(slot: PartSlot): void {
    if (this.sharedSlots.delete(slot.id))
      this.worker?.postMessage({ op: 'forget', slot: slot.id } satisfies FileIoRequest);
  }

  private send(req: Outgoing, onBytes?: (n: number) => void): Promise<FileIoReply> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<FileIoReply>((resolve) => {
      this.pending.set(id, {
        onBytes,
        settle: (reply) => {
          this.pending.delete(id);
          if (this.pending.size === 0) this.worker?.unref();
          resolve(reply);
        },
      });
      worker.ref();
      worker.postMessage({ ...req, id });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const entry = threadEntry(import.meta.url, 'file-io-thread');
    const worker = new Worker(entry.source, { eval: entry.eval });
    worker.on('message', (m: FileIoReply) => {
      const p = this.pending.get(m.id);
      if (m.type === 'bytes') p?.onBytes?.(m.n);
      else p?.settle(m);
    });
    const fail = (err: Error): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.sharedSlots.clear();
      for (const [id, p] of [...this.pending])
        p.settle({ id, type: 'error', error: { name: 'Error', message: err.message } });
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The file I/O thread stopped (code ${code}).`)));
    this.worker = worker;
    return worker;
  }
}

/** Rebuilds a thread's error with its code (ENOENT, EACCES...), which callers turn into messages. */
export function threadError(reply: Extract<FileIoReply, { type: 'error' }>): Error {
  return Object.assign(new Error(reply.error.message), reply.error);
}

/**
 * Two threads: hashing a large file during a scan must not hold up the part reads of uploads.
 * Why threads at all: on the main thread, hashing cost ~0.8 s per GB and each part's open, stat,
 * read and close ~0.4 ms of thread-pool round trips, on the thread that drives the uploads (and,
 * in the app, answers the window).
 */
export const hashingThread = new FileIoThread();
export const readingThread = new FileIoThread();
/**
 * The scan's large files (scan-folder.ts): hashing three 40 MB scans first held every small file
 * of the folder behind them (issue 17). Started only when a scan meets one.
 */
export const largeFileHashingThread = new FileIoThread();

/**
 * `credmate import` starts its hashing and reading threads before it loads its own modules (its
 * HTTP and SQLite libraries, ~0.3 s): the threads' start then runs beside that load on the other
 * core, not between the scan's first file and its first hash (bench:upload, "first byte").
 */
export function warmUpFileIoThreads(): void {
  hashingThread.warmUp();
  readingThread.warmUp();
}
