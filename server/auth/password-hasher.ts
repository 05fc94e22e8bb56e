/**
 * scrypt for passwords, on threads of its own with a bounded queue. Why: crypto.scrypt runs on
 * libuv's shared 4-thread pool, which the server's and the embedded store's file I/O also use; a
 * 128 MiB scrypt holds a pool thread for ~0.3-1 s, so 40 anonymous logins kept every file read
 * and write waiting (a signed-in download took 52 s). Here at most `threads` hashes run at once,
 * each on its own worker thread (scryptSync: never the pool), at most `maxQueued` wait, and any
 * more are refused at once with a time to retry.
 */
import { AppError } from '../../common/errors';
import { InlineThreadPool, ThreadsBusyError } from '../inline-threads';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

/** Refused because `threads` hashes run and `maxQueued` wait already. */
export class PasswordHashingBusy extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('unavailable', `Too many sign-ins are being checked right now; wait ${retryAfterSeconds} s and try again.`);
  }
}

const SCRYPT_BODY = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
parentPort.on('message', ({ password, salt, keyLength, params }) => {
  try {
    parentPort.postMessage({ value: crypto.scryptSync(password, salt, keyLength, params) });
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
`;

export class PasswordHasher {
  private readonly pool: InlineThreadPool;

  constructor(threads: number, maxQueued: number) {
    this.pool = new InlineThreadPool(SCRYPT_BODY, 'cm-password', 'Hashing the password', threads, maxQueued);
  }

  /** scrypt of `password`; throws PasswordHashingBusy (503) rather than queue beyond the bound. */
  async derive(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
    try {
      const key = await this.pool.run<Uint8Array>({ password, salt, keyLength, params });
      return Buffer.from(key.buffer, key.byteOffset, key.byteLength);
    } catch (err) {
      if (err instanceof ThreadsBusyError) throw new PasswordHashingBusy(err.retryAfterSeconds);
      throw err;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
