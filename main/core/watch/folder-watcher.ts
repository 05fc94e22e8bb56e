/**
 * Watches one folder (and its subfolders) for PDFs that appear or change, and hands each on once
 * it has stopped growing: its size and mtime unchanged for `settleMs`. A scanner writes a file in
 * pieces; queueing it after the first piece would upload half a document.
 *
 * Events come from fs.watch (recursive); a periodic rescan catches what the events missed (network
 * shares, editors that replace files, a platform without recursive watching, where it is the only
 * source). Symbolic links are never followed, neither to files nor into folders, so the watch never
 * reads outside the folder the user picked.
 */
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { isHiddenOrSystem } from '../scan/walk-folder';

export interface FolderWatcherOptions {
  folder: string;
  /** How long a file's size and mtime must stay the same before it counts as written (default 3 s). */
  settleMs?: number;
  /** The safety-net rescan of the whole folder (default 30 s). */
  rescanMs?: number;
  /**
   * Receives settled files (absolute paths), one call at a time. A file is offered again only
   * after it changes; when the call rejects, its files are offered again at the next rescan.
   */
  onReady: (paths: string[]) => Promise<void>;
  onError?: (err: unknown) => void;
  /**
   * Files last modified or created (mtime, ctime) before this time (ms since the epoch) are left
   * alone: the desktop watches for what arrives after the user marked the folder, including while
   * the app was closed. Omitted: every PDF found is offered (the first pass too).
   */
  newerThan?: number;
  /** The PDFs there at the start are left alone; only what arrives or changes afterwards is offered. */
  skipPresent?: boolean;
}

interface Seen {
  size: number;
  mtimeMs: number;
  /** When this size and mtime were first seen. */
  since: number;
}

const DEBOUNCE_MS = 100;

function isPdfName(name: string): boolean {
  return name.toLowerCase().endsWith('.pdf') && !isHiddenOrSystem(name);
}

export class FolderWatcher {
  readonly folder: string;
  private readonly settleMs: number;
  private readonly rescanMs: number;
  /** Files still settling. */
  private readonly pending = new Map<string, Seen>();
  /** What was last handed on per path (size:mtime), so an unchanged file is not offered again. */
  private readonly handed = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private fsWatcher: FSWatcher | null = null;
  private timers: NodeJS.Timeout[] = [];
  private debounce: NodeJS.Timeout | null = null;
  private busy: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Set during the first full pass when `skipPresent`: what it finds counts as handed on already. */
  private baseline: boolean;
  /** Whether fs.watch is running (false: the periodic rescan is the only source). */
  eventsActive = false;

  constructor(private readonly opts: FolderWatcherOptions) {
    this.folder = resolve(opts.folder);
    this.settleMs = opts.settleMs ?? 3_000;
    this.rescanMs = opts.rescanMs ?? 30_000;
    this.baseline = opts.skipPresent === true;
  }

  /**
   * Starts watching; the first pass (resolved when done) offers every PDF already there (the queue
   * drops what it holds), or with `skipPresent` records them as they are.
   */
  start(): Promise<void> {
    try {
      this.fsWatcher = watch(this.folder, { recursive: true, persistent: false }, (_event, name) =>
        this.markDirty(name === null ? '' : String(name)),
      );
      this.fsWatcher.on('error', (err) => {
        // The folder went away or the watch limit was hit: the rescan carries on alone.
        this.eventsActive = false;
        this.fsWatcher?.close();
        this.fsWatcher = null;
        this.opts.onError?.(err);
      });
      this.eventsActive = true;
    } catch (err) {
      this.opts.onError?.(err);
    }
    this.timers.push(setInterval(() => this.markDirty(''), this.rescanMs));
    // Settling files are looked at again several times per settle period.
    this.timers.push(setInterval(() => this.enqueue(() => this.checkPending()), Math.max(50, this.settleMs / 4)));
    for (const t of this.timers) t.unref();
    this.enqueue(() => this.look(['']));
    return this.busy;
  }

  /** Stops watching and waits for a hand-off in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.fsWatcher?.close();
    this.fsWatcher = null;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.debounce) clearTimeout(this.debounce);
    await this.busy;
  }

  /** '' means the whole folder. */
  private markDirty(rel: string): void {
    if (this.stopped) return;
    this.dirty.add(rel);
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      const rels = this.dirty.has('') ? [''] : [...this.dirty];
      this.dirty.clear();
      this.enqueue(() => this.look(rels));
    }, DEBOUNCE_MS);
    this.debounce.unref();
  }

  /** One thing at a time: looks, settle checks and hand-offs never overlap. */
  private enqueue(step: () => Promise<void>): void {
    this.busy = this.busy.then(() => (this.stopped ? undefined : step())).catch((err) => this.opts.onError?.(err));
  }

  private async look(rels: string[]): Promise<void> {
    for (const rel of rels) {
      const path = rel === '' ? this.folder : join(this.folder, rel);
      // An event may name something outside after all (a rename from elsewhere): never look there.
      if (path !== this.folder && !path.startsWith(this.folder + sep)) continue;
      if (await this.throughLink(rel)) continue;
      await this.visit(path);
    }
    if (rels.includes('')) this.baseline = false;
    await this.checkPending();
  }

  /**
   * Whether a folder on the way to `rel` is a symbolic link (recursive fs.watch may report events
   * from inside a linked folder, and a path through it resolves outside the watched one).
   */
  private async throughLink(rel: string): Promise<boolean> {
    const parts = rel.split(/[\\/]/).filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const st = await lstat(join(this.folder, ...parts.slice(0, i))).catch(() => null);
      if (!st || st.isSymbolicLink()) return true;
    }
    return false;
  }

  private async visit(path: string): Promise<void> {
    const st = await lstat(path).catch(() => null);
    if (!st) {
      this.pending.delete(path);
      this.handed.delete(path);
      return;
    }
    if (st.isSymbolicLink()) return;
    if (st.isFile()) {
      const older = this.opts.newerThan !== undefined && Math.max(st.mtimeMs, st.ctimeMs) < this.opts.newerThan;
      if (!isPdfName(path.split(sep).pop() ?? '') || older) return;
      if (this.baseline) this.handed.set(path, `${st.size}:${st.mtimeMs}`);
      else this.observe(path, st.size, st.mtimeMs);
      return;
    }
    if (!st.isDirectory()) return;
    const rel = relative(this.folder, path);
    if (rel !== '' && rel.split(sep).some((part) => isHiddenOrSystem(part))) return;
    const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (this.stopped) return;
      if (isHiddenOrSystem(e.name) || e.isSymbolicLink()) continue;
      if (e.isDirectory() || (e.isFile() && isPdfName(e.name))) await this.visit(join(path, e.name));
    }
  }

  private observe(path: string, size: number, mtimeMs: number): void {
    if (this.handed.get(path) === `${size}:${mtimeMs}`) {
      this.pending.delete(path);
      return;
    }
    const seen = this.pending.get(path);
    if (!seen || seen.size !== size || seen.mtimeMs !== mtimeMs)
      this.pending.set(path, { size, mtimeMs, since: Date.now() });
  }

  private async checkPending(): Promise<void> {
    if (this.pending.size === 0) return;
    const ready: { path: string; key: string }[] = [];
    for (const [path, seen] of [...this.pending]) {
      const st = await lstat(path).catch(() => null);
      if (!st || !st.isFile()) {
        this.pending.delete(path);
        continue;
      }
      this.observe(path, st.size, st.mtimeMs);
      const now = this.pending.get(path);
      if (now && now === seen && Date.now() - seen.since >= this.settleMs && st.size > 0)
        ready.push({ path, key: `${st.size}:${st.mtimeMs}` });
    }
    if (ready.length === 0 || this.stopped) return;
    for (const r of ready) this.pending.delete(r.path);
    try {
      await this.opts.onReady(ready.map((r) => r.path));
      for (const r of ready) this.handed.set(r.path, r.key);
    } catch (err) {
      this.opts.onError?.(err);
    }
  }
}
