/**
 * SHA-256 of files on disk (the embedded store's objects), read and hashed on threads of their
 * own: never on the API's event loop (~1.2 ms of CPU per MiB) and never on libuv's shared pool,
 * which the store's own file I/O uses.
 */
import { InlineThreadPool } from '../inline-threads';

const HASH_BODY = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const chunk = Buffer.allocUnsafe(1 << 20);
parentPort.on('message', ({ path }) => {
  let fd;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    parentPort.postMessage(err.code === 'ENOENT' ? { value: null } : { error: err.message });
    return;
  }
  try {
    const hash = crypto.createHash('sha256');
    for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0; ) hash.update(chunk.subarray(0, n));
    parentPort.postMessage({ value: hash.digest('hex') });
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
  } finally {
    fs.closeSync(fd);
  }
});
`;

export class FileHasher {
  // Two threads: a large file's hash does not hold every small one's behind it. Unbounded queue:
  // only signed-in completes ask, each for a file it uploaded.
  private readonly pool = new InlineThreadPool(
    HASH_BODY,
    'cm-obj-hash',
    'Hashing the stored object',
    2,
    Number.MAX_SAFE_INTEGER,
  );

  /** Hex SHA-256 of the file, or null when there is none. */
  sha256(path: string): Promise<string | null> {
    return this.pool.run<string | null>({ path });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
