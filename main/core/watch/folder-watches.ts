/**
 * Watched folders feeding one queue: a FolderWatcher per folder, each settled group scanned and
 * queued by queueWatchedFiles, one group at a time across all folders (the queue has one writer).
 * Both front ends use it: the desktop's watch service and `credmate import --watch`.
 */
import { resolve } from 'node:path';
import type { QueueStore } from '../db/queue-store';
import type { QueuedFiles } from '../session/import-policy';
import { FolderWatcher } from './folder-watcher';
import { lastServerLimits, rememberServerLimits } from './last-server-limits';
import { queueWatchedFiles, type ServerLimits, type WatchQueueReport } from './watch-queue';

export interface FolderWatchesOptions {
  store: QueueStore;
  settleMs?: number;
  rescanMs?: number;
  /** Queued files start at once (default) or wait paused. */
  startNow?: boolean;
  /**
   * The server's limits when known (asked before each group): files over them are not queued.
   * Null or failing (signed out, unreachable): the limits it gave last are used, kept in the queue
   * database. `signal` aborts when the folder's watch is removed or all are closed.
   */
  limits?: (signal: AbortSignal) => Promise<ServerLimits | null>;
  /** After new content was queued: hand it to the engine, tell the user. */
  onQueued: (report: WatchQueueReport, queued: QueuedFiles) => Promise<void> | void;
  /** Settled files whose content was already queued or that are not PDFs (nothing queued). */
  onNothingNew?: (report: WatchQueueReport) => void;
  onError?: (folder: string, err: unknown) => void;
}

export class FolderWatches {
  private readonly watchers = new Map<string, FolderWatcher>();
  /** Per watched folder: aborted when it is removed or all are closed, ending its group in progress. */
  private readonly stopping = new Map<string, AbortController>();
  private queueing: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: FolderWatchesOptions) {}

  /**
   * Starts watching a folder (absolute); a folder already watched is left as it is. With
   * `newerThan`, only files modified or created after that time are queued; with `skipPresent`, only
   * those that arrive or change after the first look (folder-watcher.ts). Resolves when the first
   * look is done.
   */
  add(folder: string, opts: { newerThan?: number; skipPresent?: boolean } = {}): Promise<void> {
    const path = resolve(folder);
    if (this.watchers.has(path)) return Promise.resolve();
    const watcher = new FolderWatcher({
      folder: path,
      settleMs: this.opts.settleMs,
      rescanMs: this.opts.rescanMs,
      newerThan: opts.newerThan,
      skipPresent: opts.skipPresent,
      onReady: (paths) => this.serial(() => this.queue(path, paths)),
      onError: (err) => this.opts.onError?.(path, err),
    });
    this.watchers.set(path, watcher);
    this.stopping.set(path, new AbortController());
    return watcher.start();
  }

  async remove(folder: string): Promise<void> {
    const path = resolve(folder);
    const watcher = this.watchers.get(path);
    this.watchers.delete(path);
    // First: the watcher's stop waits for its group, which the abort ends.
    this.stopping.get(path)?.abort();
    this.stopping.delete(path);
    await watcher?.stop();
  }

  has(folder: string): boolean {
    return this.watchers.has(resolve(folder));
  }

  /** Whether the folder's file events arrive (false: only the periodic rescan finds files). */
  eventsActive(folder: string): boolean {
    return this.watchers.get(resolve(folder))?.eventsActive ?? false;
  }

  /**
   * Stops every watch and waits for the group being queued, so the queue is left consistent. The
   * group's scan and PDF check are aborted (its check thread ended), so this returns promptly and
   * that group is not queued: its files are found again by the folder's next scan.
   */
  async close(): Promise<void> {
    const all = [...this.watchers.values()];
    this.watchers.clear();
    for (const controller of this.stopping.values()) controller.abort();
    this.stopping.clear();
    await Promise.all(all.map((w) => w.stop()));
    await this.queueing.catch(() => undefined);
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queueing.catch(() => undefined).then(step);
    this.queueing = next;
    return next;
  }

  /**
   * The server's limits for this group: as it answers now, or, signed out or unreachable, as it
   * answered last (last-server-limits.ts); null only when it never has (the server checks on upload).
   */
  private async limits(signal: AbortSignal): Promise<ServerLimits | null> {
    if (!this.opts.limits) return null;
    const db = this.opts.store.db;
    const now = await this.opts.limits(signal).catch(() => null);
    if (now) rememberServerLimits(db, now);
    return now ?? lastServerLimits(db);
  }

  private async queue(folder: string, paths: string[]): Promise<void> {
    const signal = this.stopping.get(folder)?.signal;
    // Removed or closed while this group waited its turn.
    if (!signal || signal.aborted) return;
    try {
      const { queued, report } = await queueWatchedFiles(this.opts.store, folder, paths, {
        startNow: this.opts.startNow ?? true,
        signal,
        limits: await this.limits(signal),
      });
      if (queued) await this.opts.onQueued(report, queued);
      else this.opts.onNothingNew?.(report);
    } catch (err) {
      // Ended by the close or removal: not an error of the folder.
      if (!signal.aborted) throw err;
    }
  }
}
