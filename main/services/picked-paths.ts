/**
 * The folders and files the user chose in this session: through the open dialog (main registers
 * what the dialog returned) or by dropping them on the window (the preload registers the native
 * path of each dropped file). Main reads from disk on the page's behalf only inside these, so a
 * page that has been taken over cannot list /etc or read a sibling folder (issue 14, finding 11).
 * The page never supplies this list: only main and the preload add to it. Kept in memory only: a
 * new session starts with nothing picked.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { AppError } from '../../common/errors';

/** What the dispatch asks before a channel that names local paths runs. */
export interface ReadablePaths {
  /** Resolves when every path may be read; rejects with a `forbidden` AppError otherwise. */
  assertReadable(paths: readonly string[]): Promise<void>;
}

interface PickedRoot {
  /** As chosen, normalised. */
  lexical: string;
  /** With links resolved when it was chosen, so a link inside cannot lead out of it. */
  real: string;
}

export interface PickedPathsOptions {
  /**
   * `npm run web`: a browser tab has no folder picker and no native paths for drops, so the path the
   * user types is the pick (the per-run token is what keeps other pages out there).
   */
  typedPathsArePicked?: boolean;
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

export class PickedPaths implements ReadablePaths {
  private readonly roots: PickedRoot[] = [];

  constructor(private readonly opts: PickedPathsOptions = {}) {}

  /** Registers a folder (and all beneath it) or a file the user chose. Relative paths are ignored. */
  async add(path: string): Promise<void> {
    if (!isAbsolute(path)) return;
    const lexical = resolve(path);
    if (this.roots.some((r) => r.lexical === lexical)) return;
    const real = await realpath(lexical).catch(() => lexical);
    this.roots.push({ lexical, real });
  }

  /** True when the path lies inside a picked folder (or is a picked file), before and after links. */
  async allows(path: string): Promise<boolean> {
    if (!isAbsolute(path)) return false;
    const lexical = resolve(path);
    // Only a path already in normal form: the disk follows a link before it applies "..", so
    // "picked/link/.." may lead out of the picked folder while its text resolves inside it.
    if (lexical !== (path.length > 1 ? path.replace(/\/+$/, '') : path)) return false;
    const roots = this.roots.filter((r) => within(lexical, r.lexical) || within(lexical, r.real));
    if (roots.length === 0) return false;
    let real: string;
    try {
      real = await realpath(lexical);
    } catch {
      // Nothing there (yet): nothing to read either; the scan reports the path as unreadable.
      return true;
    }
    return roots.some((r) => within(real, r.real));
  }

  async assertReadable(paths: readonly string[]): Promise<void> {
    if (this.opts.typedPathsArePicked) {
      for (const path of paths) await this.add(path);
      return;
    }
    for (const path of paths) {
      if (!(await this.allows(path)))
        throw new AppError(
          'forbidden',
          `The app reads only folders and files you chose with "Choose folder" or dropped on the window: choose "${path}" that way first.`,
        );
    }
  }
}
