/**
 * Files holding documents' metadata, queues and logs are readable by their owner only: a
 * database, its -wal and -shm files and a log are made 0600 in 0700 directories, and an existing
 * one with looser modes (from an older version, or a umask of 022) is tightened when opened.
 * SQLite gives the -wal and -shm files it creates the database file's mode, so making the
 * database file first is what keeps them private too. On Windows modes mean little; there the
 * user profile's ACL protects the data dir.
 */
import fs from 'node:fs';
import path from 'node:path';

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/** Makes `dir` (and any missing parents) 0700, tightening `dir` itself when it exists. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  if (process.platform !== 'win32') fs.chmodSync(dir, PRIVATE_DIR);
}

/** Before SQLite opens `file`: its directory 0700, the file made (or tightened to) 0600, with its -wal and -shm. */
export function preparePrivateDatabase(file: string): void {
  ensurePrivateDir(path.dirname(file));
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  if (process.platform === 'win32') return;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(f, PRIVATE_FILE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/**
 * Opens `file` for appending (a log), made 0600; returns the descriptor. A missing directory is
 * made 0700, an existing one left as it is: a log may be pointed into a shared directory.
 */
export function openPrivateAppend(file: string): number {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR });
  const fd = fs.openSync(file, 'a', PRIVATE_FILE);
  if (process.platform !== 'win32') fs.fchmodSync(fd, PRIVATE_FILE);
  return fd;
}
