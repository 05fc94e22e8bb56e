/**
 * The body of the embedded store's small-object writer (small-object-writer.ts): writes a
 * buffered body to a new file with synchronous calls and renames it into place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../thread-priority';
import type { ThreadReply } from '../thread-requests';

/** Creating a file costs ~0.7 ms of kernel CPU here: that work waits for idle CPU (nice 10). */
lowerThreadPriority(10);

export interface WriteRequest {
  id: number;
  tmpPath: string;
  finalPath: string;
  body: Uint8Array;
}

/**
 * Directories known to exist: the object's directory is created only when it is not known;
 * s3rver removes a directory once its last object is deleted, hence the retry.
 */
const knownDirs = new Set<string>();

function writeInDir(filePath: string, body: Uint8Array): void {
  const dir = path.dirname(filePath);
  if (knownDirs.has(dir)) {
    try {
      return fs.writeFileSync(filePath, body);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      knownDirs.delete(dir);
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  if (knownDirs.size >= 10_000) knownDirs.clear();
  knownDirs.add(dir);
  fs.writeFileSync(filePath, body);
}

parentPort?.on('message', ({ id, tmpPath, finalPath, body }: WriteRequest) => {
  try {
    writeInDir(tmpPath, body);
    fs.renameSync(tmpPath, finalPath);
    parentPort?.postMessage({ id } satisfies ThreadReply);
  } catch (err) {
    fs.rmSync(tmpPath, { force: true });
    parentPort?.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies ThreadReply);
  }
});
