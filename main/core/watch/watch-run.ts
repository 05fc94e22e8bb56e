/**
 * `credmate import <folder> --watch` after its first import: the folder is watched over one import
 * session until `signal` aborts; each settled new or changed PDF is queued (the same scan and
 * policy as the desktop's watch, folder-watches.ts) and uploaded, and every step of each file is
 * told through `onLine`. On the abort the watch stops, a group being checked is dropped (the next
 * run finds its files again), and the session stops the engine, recording where each transfer stands (the next run resumes it).
 */
import { lstat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { QueueItem } from '../../../common/domain';
import { AppError } from '../../../common/errors';
import type { ApiClient } from '../api-client';
import { openQueueDb, queueDbPath } from '../db/open-queue-db';
import { applyToEngine } from '../session/import-policy';
import { ImportSession } from '../session/import-session';
import { FolderWatches } from './folder-watches';
import type { WatchQueueReport } from './watch-queue';

export type WatchRunLine =
  | { event: 'watching'; folder: string }
  | { event: 'queued'; path: string; sizeBytes: number }
  | { event: 'already-imported'; path: string }
  | { event: 'skipped'; path: string; reason: string }
  | { event: 'uploaded' | 'duplicate'; path: string }
  | { event: 'failed'; path: string; message: string };

export interface WatchRunOptions {
  folder: string;
  dataDir: string;
  api: ApiClient;
  reauth: (signal?: AbortSignal) => Promise<void>;
  serverMode?: 'local' | 'remote';
  signedIn: Promise<boolean>;
  concurrency?: number;
  settleMs?: number;
  rescanMs?: number;
  /** Watching ends when this aborts (SIGINT / SIGTERM). */
  signal: AbortSignal;
  onLine: (line: WatchRunLine) => void;
}

export interface WatchRunSummary {
  queued: number;
  uploaded: number;
  failed: number;
}

/** Told once per file: its last state of interest. */
function outcome(item: QueueItem, path: string): WatchRunLine | null {
  if (item.state === 'uploaded' || item.state === 'duplicate') return { event: item.state, path };
  if (item.state === 'failed') return { event: 'failed', path, message: item.error?.message ?? 'upload failed' };
  return null;
}

/** The server's limits through the signed-in client; a session the server ended is signed in again once. */
async function readLimits(opts: WatchRunOptions, signal: AbortSignal) {
  try {
    return await opts.api.serverLimits(signal);
  } catch (err) {
    if (!(err instanceof AppError && err.kind === 'auth')) throw err;
    await opts.reauth(signal);
    return opts.api.serverLimits(signal);
  }
}

export async function watchFolderRun(opts: WatchRunOptions): Promise<WatchRunSummary> {
  const folder = resolve(opts.folder);
  const db = openQueueDb(queueDbPath(opts.dataDir));
  const session = new ImportSession({
    db,
    api: opts.api,
    mode: opts.serverMode ?? 'remote',
    reauth: (s) => opts.reauth(s),
    concurrency: opts.concurrency,
  });
  const summary: WatchRunSummary = { queued: 0, uploaded: 0, failed: 0 };
  /** Queue file id → path relative to the folder, until its outcome is told. */
  const pending = new Map<string, string>();
  session.engine.on('items', (items) => {
    for (const item of items) {
      const path = pending.get(item.id);
      const line = path === undefined ? null : outcome(item, path);
      if (!line) continue;
      pending.delete(item.id);
      if (line.event === 'failed') summary.failed++;
      else summary.uploaded++;
      opts.onLine(line);
    }
  });
  const startedAt = Date.now();
  /**
   * Files not queued, told when they came into the folder while watching (changed inode: ctime), so
   * the first pass over a folder just imported does not list every file in it again.
   */
  const tellTheRest = async (report: WatchQueueReport): Promise<void> => {
    const arrived = async (rel: string) =>
      ((await lstat(join(folder, rel)).catch(() => null))?.ctimeMs ?? 0) >= startedAt - 1_000;
    for (const path of report.alreadyQueued) if (await arrived(path)) opts.onLine({ event: 'already-imported', path });
    for (const s of report.skipped)
      if (await arrived(s.relPath)) opts.onLine({ event: 'skipped', path: s.relPath, reason: s.reason });
  };
  const watches = new FolderWatches({
    store: session.queue,
    settleMs: opts.settleMs,
    rescanMs: opts.rescanMs,
    // Asked before each settled group, as the desktop does; unreachable, the server checks on upload.
    limits: (signal) => readLimits(opts, AbortSignal.any([opts.signal, signal])),
    onQueued: async (report, queued) => {
      for (const f of report.queued) {
        pending.set(f.fileId, f.relPath);
        summary.queued++;
        opts.onLine({ event: 'queued', path: f.relPath, sizeBytes: f.sizeBytes });
      }
      await applyToEngine(session.engine, queued);
      await tellTheRest(report);
    },
    onNothingNew: (report) => tellTheRest(report),
  });
  try {
    await session.catchUpAndStart(opts.signedIn);
    if (!opts.signal.aborted) {
      await watches.add(folder);
      opts.onLine({ event: 'watching', folder });
      // The watch's own handles do not hold the process open (the desktop's must not): this does, until the abort.
      const keepAlive = setInterval(() => undefined, 60_000);
      await new Promise<void>((done) => opts.signal.addEventListener('abort', () => done(), { once: true }));
      clearInterval(keepAlive);
    }
    return summary;
  } finally {
    await watches.close();
    await session.close();
    db.close();
  }
}
