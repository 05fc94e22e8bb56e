import { hashingThread, readingThread, threadError, type FileIoThread } from './file-io-client';
import type { FileStat } from './file-io-thread';

export type { FileStat } from './file-io-thread';

/**
 * stat() of many files in one message to a file I/O thread, whose synchronous stat is one system
 * call each. Why: on the main thread each `fs.promises.stat` costs a thread-pool round trip and a
 * promise, ~0.1 ms of the thread that drives the uploads: the scan stats every file, the upload
 * stats it again before its register, and on 5,000 files the two were the largest cost of the
 * client's main thread (issue 17, CPU profile after the batched calls left ky).
 */
export async function statMany(thread: FileIoThread, paths: string[]): Promise<FileStat[]> {
  if (paths.length === 0) return [];
  const reply = await thread.stat(paths);
  if (reply.type === 'stats') return reply.stats;
  if (reply.type === 'error') throw threadError(reply);
  throw new Error(`Unexpected answer from the file I/O thread: ${reply.type}`);
}

/** The Error a failed stat would have thrown (its code kept: ENOENT, EACCES...). */
export function statError(s: Extract<FileStat, { ok: false }>): Error {
  return Object.assign(new Error(s.error.message), s.error);
}

/**
 * stat() of one file, sent with every other call made in the same event-loop turn: the engine
 * starts dozens of files at once, each checking its file on disk first (verify-on-disk.ts). On the
 * reading thread, beside the part reads those files are about to make: a batch may wait behind the
 * reads already queued there (at most one per transfer slot), while every slot is busy anyway.
 */
let waiting: Array<{ path: string; resolve: (s: FileStat) => void; reject: (err: unknown) => void }> = [];

export function statSoon(path: string): Promise<FileStat> {
  return new Promise((resolve, reject) => {
    waiting.push({ path, resolve, reject });
    if (waiting.length === 1) setImmediate(sendWaiting);
  });
}

function sendWaiting(): void {
  const batch = waiting;
  waiting = [];
  statMany(
    readingThread,
    batch.map((w) => w.path),
  ).then(
    (stats) => batch.forEach((w, i) => w.resolve(stats[i]!)),
    (err: unknown) => batch.forEach((w) => w.reject(err)),
  );
}

/** The scan's thread (walk-folder.ts): its stats queue beside the hashing it feeds. */
export const scanStatThread = hashingThread;
