/**
 * The body of the embedded store's small-object writer (small-object-writer.ts): writes a
 * buffered body to a new file with synchronous calls and renames it into place.
 */
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority, nameThisThread } from '../thread-priority';
import type { ThreadReply } from '../thread-requests';
import { KnownDirs } from './known-dirs';

/** Creating a file can cost ~0.5 ms of kernel CPU (small-object-writer.ts): that work waits for idle CPU (nice 10). */
lowerThreadPriority(10);
nameThisThread('cm-obj-writer');

export interface WriteRequest {
  id: number;
  tmpPath: string;
  finalPath: string;
  body: Uint8Array;
  /**
   * Three slots the thread fills before it answers: the written file's inode, size and mtime in
   * ns (its stamp, embedded-object-index.ts). Shared memory, because a ThreadReply carries no value.
   */
  stamp: BigUint64Array;
}

const knownDirs = new KnownDirs();

parentPort?.on('message', ({ id, tmpPath, finalPath, body, stamp }: WriteRequest) => {
  try {
    knownDirs.createInSync(tmpPath, () => fs.writeFileSync(tmpPath, body));
    // Before the rename: the temporary name is this request's alone, so this is the file it wrote.
    const st = fs.statSync(tmpPath, { bigint: true });
    stamp.set([st.ino, st.size, st.mtimeNs]);
    fs.renameSync(tmpPath, finalPath);
    parentPort?.postMessage({ id } satisfies ThreadReply);
  } catch (err) {
    fs.rmSync(tmpPath, { force: true });
    parentPort?.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies ThreadReply);
  }
});
