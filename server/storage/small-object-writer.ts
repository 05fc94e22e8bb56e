import { ThreadRequests } from '../thread-requests';
import { fileStamp } from './embedded-object-index';
import type { WriteRequest } from './small-object-writer-thread';

/**
 * Writes small objects (most documents) for the embedded store on a thread of its own, with
 * synchronous file calls. Why: as async calls each object took ~5 round trips to libuv's pool,
 * whose threads run at the API's priority, and creating a file can cost ~0.5 ms of kernel CPU on
 * this kind of machine (its ext4 has no journal: for minutes after many files were deleted, each
 * new one skips past the freed inodes; ~0.05 ms otherwise): under bench:ingest's 100 clients that
 * CPU competed with the API's requests. This thread runs at a lower priority than the store's
 * own, and the store's event loop never waits on the disk.
 */
export class SmallObjectWriter {
  private readonly thread = new ThreadRequests<Omit<WriteRequest, 'id'>>(
    import.meta.url,
    'small-object-writer-thread',
    'writing the object',
  );

  /**
   * Writes `body` to `tmpPath` (creating its directory if needed), then renames it to `finalPath`;
   * nothing is left on failure. Resolves with the written file's stamp (fileStamp).
   */
  async write(tmpPath: string, finalPath: string, body: Buffer): Promise<string> {
    const stamp = new BigUint64Array(new SharedArrayBuffer(3 * 8));
    await this.thread.send({ tmpPath, finalPath, body, stamp });
    return fileStamp({ ino: stamp[0]!, size: stamp[1]!, mtimeNs: stamp[2]! });
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
