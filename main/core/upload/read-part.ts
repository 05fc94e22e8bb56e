import { AppError } from '../../../common/errors';
import { readingThread, threadError } from '../file-io/file-io-client';
import { fsError } from './verify-on-disk';

/**
 * Part buffers handed from one part to the next instead of a fresh multi-MiB buffer per part:
 * garbage collection was the largest single cost of the client's main thread. With this and the
 * hasher's reused chunks, GC went from ~0.66 to ~0.44 s while sending 370 MB of large files
 * (bench:upload). Bounded: a dozen buffers at most.
 */
const spare: ArrayBuffer[] = [];
const MAX_SPARE = 12;
const ROUND = 1 << 20;

function takeBuffer(size: number): Buffer {
  let best = -1;
  for (let i = 0; i < spare.length; i++) {
    if (spare[i]!.byteLength >= size && (best < 0 || spare[i]!.byteLength < spare[best]!.byteLength)) best = i;
  }
  const backing = best >= 0 ? spare.splice(best, 1)[0]! : new ArrayBuffer(Math.ceil(size / ROUND) * ROUND);
  return Buffer.from(backing, 0, size);
}

/** Gives a part's buffer back once its PUT has settled (the HTTP client copied or sent it by then). */
export function releasePart(buf: Buffer): void {
  if (buf.byteOffset === 0 && buf.buffer.byteLength % ROUND === 0 && spare.length < MAX_SPARE) spare.push(buf.buffer as ArrayBuffer);
}

/**
 * Reads one part of a file at its offset, on the reading thread, into a buffer of the pool: only
 * that part is ever in memory. Checks on the open file, after reading, that it still has the size
 * and mtime recorded when it was queued: a write before or during the read shows there, so a part
 * of a changed file is never sent (and every sent part is of the queued version). Hand the buffer
 * back with releasePart().
 */
export async function readPart(path: string, offset: number, size: number, expect: { sizeBytes: number; mtimeMs: number }): Promise<Buffer> {
  const reply = await readingThread.request({ op: 'read', path, offset, size, expect, buffer: takeBuffer(size).buffer as ArrayBuffer });
  if (reply.type === 'read') return Buffer.from(reply.buffer, 0, size);
  // The buffer came back with the answer: into the pool again.
  if ('buffer' in reply && reply.buffer) releasePart(Buffer.from(reply.buffer, 0, size));
  if (reply.type === 'changed') throw new AppError('conflict', reply.message);
  if (reply.type === 'error') throw fsError(threadError(reply));
  throw new AppError('internal', `Unexpected answer from the reading thread: ${reply.type}`);
}
