import { opendir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { Dirent, Stats } from 'node:fs';
import { scanStatThread, statError, statMany } from '../file-io/stat-batch';

/** What the scan needs of a file's stat. */
export interface FileTimes {
  size: number;
  mtimeMs: number;
}

/** One entry the walk met: a regular file with its stat, or something it had to report and skip. */
export type WalkEntry =
  | { kind: 'file'; path: string; relPath: string; stat: FileTimes }
  | { kind: 'skipped'; path: string; relPath: string; reason: string };

/**
 * Entries of a folder stat'ed per message to the scan's thread (stat-batch.ts): a huge folder
 * still streams, and a folder of a few dozen files costs one round trip.
 */
const STAT_CHUNK = 256;

const SYSTEM_NAMES = new Set([
  'thumbs.db',
  'desktop.ini',
  'ehthumbs.db',
  '$recycle.bin',
  'system volume information',
  'lost+found',
]);

/** Hidden (dot files, Office lock files) and OS bookkeeping entries are never user documents. */
export function isHiddenOrSystem(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || SYSTEM_NAMES.has(name.toLowerCase());
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'unreadable: permission denied';
  if (code === 'ENOENT') return 'unreadable: it vanished or is a broken link';
  if (code === 'ELOOP') return 'unreadable: symbolic link loop';
  return `unreadable: ${code ?? (err instanceof Error ? err.message : String(err))}`;
}

/**
 * Walks folders depth-first, following symbolic links but never entering the same directory twice
 * (device + inode), so a link loop ends the walk of that branch instead of the scan.
 * Unreadable entries are yielded as skipped with a reason; the walk goes on.
 */
export async function* walkFolder(roots: readonly string[], signal?: AbortSignal): AsyncGenerator<WalkEntry> {
  const seenDirs = new Set<string>();
  for (const root of roots) {
    let st: Stats;
    try {
      st = await stat(root);
    } catch (err) {
      yield { kind: 'skipped', path: root, relPath: basename(root), reason: describe(err) };
      continue;
    }
    if (st.isFile()) {
      yield { kind: 'file', path: root, relPath: basename(root), stat: st };
      continue;
    }
    const stack: string[] = [root];
    seenDirs.add(`${st.dev}:${st.ino}`);
    while (stack.length > 0) {
      signal?.throwIfAborted();
      const dir = stack.pop() as string;
      let entries: Dirent[];
      try {
        entries = [];
        for await (const e of await opendir(dir, { bufferSize: 256 })) entries.push(e);
      } catch (err) {
        yield { kind: 'skipped', path: dir, relPath: toPosix(relative(root, dir)) || '.', reason: describe(err) };
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: string[] = [];
      const visible = entries.filter((e) => !isHiddenOrSystem(e.name)).map((e) => join(dir, e.name));
      for (let i = 0; i < visible.length; i += STAT_CHUNK) {
        const paths = visible.slice(i, i + STAT_CHUNK);
        const stats = await statMany(scanStatThread, paths);
        for (const [j, path] of paths.entries()) {
          const relPath = toPosix(relative(root, path));
          const s = stats[j]!;
          if (!s.ok) {
            yield { kind: 'skipped', path, relPath, reason: describe(statError(s)) };
          } else if (s.kind === 'dir') {
            const key = `${s.dev}:${s.ino}`;
            if (seenDirs.has(key)) continue;
            seenDirs.add(key);
            subdirs.push(path);
          } else if (s.kind === 'file') {
            yield { kind: 'file', path, relPath, stat: { size: s.size, mtimeMs: s.mtimeMs } };
          } else {
            yield { kind: 'skipped', path, relPath, reason: 'not a regular file (device, pipe or socket)' };
          }
        }
      }
      // Files of a folder in name order, then its subfolders in name order (the stack pops the last pushed).
      stack.push(...subdirs.reverse());
    }
  }
}
