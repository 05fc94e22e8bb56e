/**
 * The body of the WAL sync thread (see wal-sync.ts): fdatasync of one file descriptor on request.
 * Its own thread, so the sync never waits in libuv's shared pool behind the store's file writes.
 */
import { fdatasyncSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const fd = (workerData as { fd: number }).fd;
parentPort?.on('message', (id: number) => {
  try {
    fdatasyncSync(fd);
    parentPort?.postMessage({ id });
  } catch (err) {
    parentPort?.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
