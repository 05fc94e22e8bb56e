/**
 * Watched folders for the desktop: the Import screen marks a picked folder as watched, its new or
 * changed PDFs are queued by themselves once they stop growing (main/core/watch/), and the list is
 * kept beside the queue so the watches resume at the next start. A folder on that list was picked
 * by the user when it was added, so it counts as picked again at start (picked-paths.ts).
 */
import type Database from 'better-sqlite3';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../common/errors';
import type { WatchedFolder } from '../../common/ipc';
import type { QueueStore } from '../core';
import type { QueuedFiles } from '../core/session/import-policy';
import { FolderWatches } from '../core/watch/folder-watches';
import type { ServerLimits } from '../core/watch/watch-queue';
import { addWatchedFolder, listWatchedFolders, removeWatchedFolder } from '../core/watch/watched-folder-list';
import { addFolderRecent, forgetFolderRecent, readFolderRecent } from '../core/watch/watched-folder-recent';
import type { EventBus } from './event-bus';
import type { PickedPaths } from './picked-paths';
import { errorMessageForLog, redactForLog } from '../../common/log-redaction';

export interface WatchServiceOptions {
  db: Database.Database;
  store: QueueStore;
  bus: EventBus;
  pickedPaths: PickedPaths;
  /** The same hand-off as an import's: the engine (when signed in) takes the new files. */
  onQueued: (queued: QueuedFiles) => Promise<void>;
  /**
   * The server's limits while signed in (null otherwise: the server still checks on upload);
   * `signal` ends the ask when the watch is removed or closed.
   */
  limits?: (signal: AbortSignal) => Promise<ServerLimits | null>;
  settleMs?: number;
  rescanMs?: number;
}

export class WatchService {
  private readonly watches: FolderWatches;

  constructor(private readonly opts: WatchServiceOptions) {
    this.watches = new FolderWatches({
      store: opts.store,
      settleMs: opts.settleMs,
      rescanMs: opts.rescanMs,
      limits: opts.limits,
      onQueued: async (report, queued) => {
        await opts.onQueued(queued);
        const at = new Date().toISOString();
        // Kept in the queue database beside the watch, so the panel lists it again after a restart.
        addFolderRecent(opts.db, report.folder, { at, queued: report.queued, skipped: report.skipped });
        opts.bus.emit('watch.queued', {
          folder: report.folder,
          at,
          batchId: report.batchId,
          files: report.queued,
          alreadyQueued: report.alreadyQueued.length,
          skipped: report.skipped,
        });
      },
      // Settled files left out (not a PDF, unreadable, over the server's limits) are told too.
      onNothingNew: (report) => {
        if (report.skipped.length === 0) return;
        const at = new Date().toISOString();
        addFolderRecent(opts.db, report.folder, { at, queued: [], skipped: report.skipped });
        opts.bus.emit('watch.queued', {
          folder: report.folder,
          at,
          batchId: null,
          files: [],
          alreadyQueued: report.alreadyQueued.length,
          skipped: report.skipped,
        });
      },
      onError: (folder, err) =>
        console.error(
          JSON.stringify({
            level: 'warn',
            msg: 'watched folder',
            folder: redactForLog(folder),
            error: errorMessageForLog(err),
          }),
        ),
    });
  }

  /** Resumes the watches kept from earlier runs. */
  async start(): Promise<void> {
    for (const row of listWatchedFolders(this.opts.db)) {
      await this.opts.pickedPaths.add(row.path);
      // Since the folder was marked (a margin for file-system clocks): what arrived meanwhile, app closed or not.
      void this.watches.add(row.path, { newerThan: Date.parse(row.addedAt) - 2_000 });
    }
  }

  /** The dispatch has checked the path was picked; it must be a folder. */
  async add(path: string): Promise<WatchedFolder[]> {
    const folder = resolve(path);
    const st = await stat(folder).catch(() => null);
    if (!st?.isDirectory())
      throw new AppError('invalid_input', `"${folder}" is not a folder: choose the folder your scanner saves into.`);
    // What the folder holds now is the user's to import from the preview; the watch takes what comes next.
    addWatchedFolder(this.opts.db, folder);
    await this.watches.add(folder, { skipPresent: true });
    return this.list();
  }

  async remove(path: string): Promise<WatchedFolder[]> {
    const folder = resolve(path);
    removeWatchedFolder(this.opts.db, folder);
    await this.watches.remove(folder);
    forgetFolderRecent(this.opts.db, folder);
    return this.list();
  }

  list(): WatchedFolder[] {
    return listWatchedFolders(this.opts.db).map((r) => {
      const { queued, skipped } = readFolderRecent(this.opts.db, r.path);
      return { ...r, eventsActive: this.watches.eventsActive(r.path), recent: queued, skipped };
    });
  }

  /** Stops every watch, waiting for a group being queued (before the database closes). */
  close(): Promise<void> {
    return this.watches.close();
  }
}
