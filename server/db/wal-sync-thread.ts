/**
 * The body of the WAL sync thread (see wal-sync.ts): fdatasync of one file descriptor on request.
 * Its own thread, so the sync never waits in libuv's shared pool behind the store's file writes.
 * A finished sync is published twice: in shared memory, where a busy API loop sees it between
 * two requests, and as a message, which wakes an idle one.
 */
import { fdatasyncSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { nameThisThread } from '../thread-priority';
import type { ThreadReply } from '../thread-requests';

nameThisThread('cm-wal-sync');

const { fd, done } = workerData as { fd: number; done: Int32Array };
parentPort?.on('message', ({ id }: { id: number }) => {
  try {
    fdatasyncSync(fd);
    Atomics.store(done, 0, id);
    parentPort?.postMessage({ id } satisfies ThreadReply);
  } catch (err) {
    Atomics.store(done, 1, 1);
    parentPort?.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies ThreadReply);
  }
});
