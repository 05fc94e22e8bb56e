import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Directories known to exist, so that creating an object's file costs no mkdir (each file call of
 * the store's async path is a round trip to libuv's pool). s3rver removes a directory once its
 * last object is deleted: a create that fails with ENOENT forgets the directory, makes it and
 * tries again. One set per thread; the sync and async forms serve the two writers.
 */
export class KnownDirs {
  private readonly dirs = new Set<string>();

  /** Runs `create` (which makes a file at `filePath`), making the file's directory first when it is not known. */
  async createIn<T>(filePath: string, create: () => Promise<T>): Promise<T> {
    const dir = path.dirname(filePath);
    if (this.dirs.has(dir)) {
      try {
        return await create();
      } catch (err) {
        if (!isMissing(err)) throw err;
        this.dirs.delete(dir);
      }
    }
    await fsp.mkdir(dir, { recursive: true });
    this.remember(dir);
    return create();
  }

  /** `createIn` with synchronous calls (the small-object writer's thread). */
  createInSync<T>(filePath: string, create: () => T): T {
    const dir = path.dirname(filePath);
    if (this.dirs.has(dir)) {
      try {
        return create();
      } catch (err) {
        if (!isMissing(err)) throw err;
        this.dirs.delete(dir);
      }
    }
    fs.mkdirSync(dir, { recursive: true });
    this.remember(dir);
    return create();
  }

  private remember(dir: string): void {
    if (this.dirs.size >= 10_000) this.dirs.clear();
    this.dirs.add(dir);
  }
}
