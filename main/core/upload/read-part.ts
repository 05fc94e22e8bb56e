import { AppError } from '../../../common/errors';
import { readingThread, threadError, type PartSlot } from '../file-io/file-io-client';
import { fsError } from './verify-on-disk';

/**
 * Part buffers are shared memory that the reading thread fills in place, handed from one part to
 * the next: no fresh multi-MiB buffer per part and no copy or transfer between the threads.
 * (Transferring an ArrayBuffer per part made V8 count a new external allocation each time: ~0.6 s
 * of garbage collection on the main thread per GB sent.) Bounded: a dozen spare buffers at most;
 * more exist only while that many parts are in flight.
 */
const spare: PartSlot[] = [];
const slotOf = new Map<SharedArrayBuffer, PartSlot>();
const MAX_SPARE = 12;
const ROUND = 1 << 20;
let nextSlotId = 1;

function takeSlot(size: number): PartSlot {
  let best = -1;
  for (let i = 0; i < spare.length; i++) {
    if (
      spare[i]!.memory.byteLength >= size &&
      (best < 0 || spare[i]!.memory.byteLength < spare[best]!.memory.byteLength)
    )
      best = i;
  }
  if (best >= 0) return spare.splice(best, 1)[0]!;
  const memory = new SharedArrayBuffer(Math.ceil(size / ROUND) * ROUND);
  const slot = { id: nextSlotId++, memory, view: Buffer.from(memory) };
  slotOf.set(memory, slot);
  return slot;
}

/** Gives a part's buffer back once its PUT has settled (the HTTP client has sent it by then). */
export function releasePart(buf: Buffer): void {
  const slot = slotOf.get(buf.buffer as SharedArrayBuffer);
  if (!slot) return;
  if (spare.length < MAX_SPARE) return void spare.push(slot);
  slotOf.delete(slot.memory);
  readingThread.forget(slot);
}

/**
 * Reads one part of a file at its offset, on the reading thread, into a buffer of the pool: only
 * that part is ever in memory. Checks on the open file, after reading, that it still has the size
 * and mtime recorded when it was queued: a write before or during the read shows there, so a part
 * of a changed file is never sent (and every sent part is of the queued version). Hand the buffer
 * back with releasePart().
 */
export async function readPart(
  path: string,
  offset: number,
  size: number,
  expect: { sizeBytes: number; mtimeMs: number },
): Promise<Buffer> {
  const slot = takeSlot(size);
  const reply = await readingThread.read(slot, { path, offset, size, expect });
  if (reply.type === 'read') return slot.view.subarray(0, size);
  spare.push(slot);
  if (reply.type === 'changed') throw new AppError('conflict', reply.message);
  if (reply.type === 'error') throw fsError(threadError(reply));
  throw new AppError('internal', `Unexpected answer from the reading thread: ${reply.type}`);
}

/**
 * Starts the reading thread now, by reading nothing: it otherwise starts with the first part, and
 * a thread's start (0.5-1.4 s on a loaded 2-core machine, bench:upload) then sits between the
 * first register answer and the first PUT. The engine calls it when it is made.
 */
export function startReadingThread(): void {
  const slot = takeSlot(1);
  const own = { sizeBytes: -1, mtimeMs: -1 }; // never matches: the answer is 'changed', or an error
  readingThread.read(slot, { path: process.execPath, offset: 0, size: 0, expect: own }).then(
    () => spare.push(slot),
    () => undefined,
  );
}
