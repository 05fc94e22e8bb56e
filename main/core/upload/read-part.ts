import { open } from 'node:fs/promises';
import { AppError } from '../../../common/errors';
import { fsError } from './verify-on-disk';

/**
 * Reads one part of a file at its offset through a file handle: only that part is ever in memory.
 * Checks on the open handle that the file still has the size and mtime recorded when it was
 * queued, so a part of a changed file is never sent.
 */
export async function readPart(path: string, offset: number, size: number, expect: { sizeBytes: number; mtimeMs: number }): Promise<Buffer> {
  const fh = await open(path, 'r').catch((err: unknown) => {
    throw fsError(err);
  });
  try {
    const st = await fh.stat();
    if (st.size !== expect.sizeBytes || st.mtimeMs !== expect.mtimeMs) {
      throw new AppError('conflict', 'The file changed on disk while it was being uploaded (size or modification time differ). Retry to upload its current version.');
    }
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const { bytesRead } = await fh.read(buf, got, size - got, offset + got);
      if (bytesRead === 0) throw new AppError('conflict', 'The file is shorter than when it was queued. Retry to upload its current version.');
      got += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}
