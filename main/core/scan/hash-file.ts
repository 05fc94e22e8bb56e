import { hashingThread, threadError, type FileIoThread } from '../file-io/file-io-client';

export interface FileDigest {
  sha256: string;
  pages: number | null;
  bytes: number;
}

export interface HashOptions {
  signal?: AbortSignal;
  countPages?: boolean;
  /** Called as bytes are hashed (for progress). */
  onBytes?: (n: number) => void;
  /** The thread to hash on (default: the hashing thread). */
  thread?: FileIoThread;
}

/**
 * SHA-256 (and a page count) of a file, read in 1 MiB chunks on the hashing thread: memory stays
 * flat whatever the file size. With `pdfOnly`, a file that does not start with `%PDF-` answers
 * null after its first chunk. Errors keep their `code` (ENOENT, EACCES...). An abort stops the
 * file between two chunks.
 */
export async function hashFile(path: string, opts: HashOptions & { pdfOnly: true }): Promise<FileDigest | null>;
export async function hashFile(path: string, opts?: HashOptions): Promise<FileDigest>;
export async function hashFile(
  path: string,
  opts: HashOptions & { pdfOnly?: boolean } = {},
): Promise<FileDigest | null> {
  opts.signal?.throwIfAborted();
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = (): void => {
    Atomics.store(cancel, 0, 1);
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const reply = await (opts.thread ?? hashingThread).hash(
      { op: 'hash', path, countPages: opts.countPages ?? false, pdfOnly: opts.pdfOnly ?? false, cancel },
      opts.onBytes,
    );
    if (reply.type === 'hashed') return reply.digest;
    if (reply.type === 'cancelled') throw opts.signal?.reason;
    throw reply.type === 'error'
      ? threadError(reply)
      : new Error(`Unexpected answer from the hashing thread: ${reply.type}`);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
