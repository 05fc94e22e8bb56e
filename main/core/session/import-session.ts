/**
 * One import session: a signed-in API client, the upload engine over the local queue, and the
 * change-feed sync into the documents mirror, wired once for both front ends. The desktop keeps
 * one open while signed in (`follow`: the change feed is polled and a health check notices a dead
 * server); `credmate import` opens one per run and catches up with the feed once before uploading.
 * The front ends only adapt it: events to the IPC bus, or a progress line and a summary.
 */
import type Database from 'better-sqlite3';
import type { AppError } from '../../../common/errors';
import type { ApiClient } from '../api-client';
import type { QueueStore } from '../db/queue-store';
import type { QueueScanOptions } from '../queue-scan';
import type { ScannedFileDetail } from '../scan/scan-folder';
import { ChangeFeedSync } from '../sync/change-feed-sync';
import { DocumentsMirror } from '../sync/documents-mirror';
import { UploadEngine } from '../upload/upload-engine';
import { applyToEngine, queueScanHooks, queueScanned, type QueuedFiles } from './import-policy';

export type SessionMode = 'local' | 'remote';

export interface ImportSessionOptions {
  db: Database.Database;
  api: ApiClient;
  mode: SessionMode;
  /** Signs in again after a 401; rejects when that needs the user. */
  reauth: (signal: AbortSignal) => Promise<void>;
  /** The documents mirror over `db` (the desktop shares one with its documents service). */
  mirror?: DocumentsMirror;
  concurrency?: number;
  /** How often a following session checks the server while nothing else would notice it is gone. */
  watchIntervalMs?: number;
}

/** How long the one-shot catch-up with the change feed may take before uploads start anyway. */
const CATCH_UP_MS = 30_000;

export class ImportSession {
  readonly api: ApiClient;
  readonly mode: SessionMode;
  readonly engine: UploadEngine;
  readonly mirror: DocumentsMirror;
  private sync: ChangeFeedSync | null = null;
  private stopFollowing: (() => void) | null = null;

  constructor(private readonly opts: ImportSessionOptions) {
    this.api = opts.api;
    this.mode = opts.mode;
    this.mirror = opts.mirror ?? new DocumentsMirror(opts.db);
    this.engine = new UploadEngine({
      db: opts.db,
      api: opts.api,
      concurrency: opts.concurrency,
      reauth: (signal) => opts.reauth(signal),
    });
  }

  get queue(): QueueStore {
    return this.engine.queue;
  }

  /** The scan hooks for this queue (which hashes are known, what counts as already queued). */
  scanHooks(): ReturnType<typeof queueScanHooks> {
    return queueScanHooks(this.engine.queue);
  }

  /**
   * Queues scanned files and applies the policy for content seen before (import-policy.ts). The
   * files are queued when this returns; `applied` settles when the engine has taken the plan
   * (retries re-read their files first).
   */
  queueFiles(
    files: readonly ScannedFileDetail[],
    opts: QueueScanOptions & { startNow: boolean },
  ): QueuedFiles & { applied: Promise<void> } {
    const queued = queueScanned(this.engine.queue, files, opts);
    return { ...queued, applied: applyToEngine(this.engine, queued) };
  }

  /**
   * The desktop's long-lived session: uploads run, the change feed is polled (fast while files
   * are uploading or documents processing, and search terms indexed), and the server is watched.
   * `onChanged` hears which documents changed.
   */
  follow(onChanged: (documentIds: string[]) => void): void {
    const { engine, api, mirror } = this;
    const sync = new ChangeFeedSync(api, mirror, {
      idleMaxIntervalMs: 10_000,
      indexTerms: true,
      isBusy: () => {
        const c = engine.queue.counts();
        const docs = mirror.countByStatus();
        return (
          c.byState.queued + c.byState.uploading + c.byState.completing > 0 ||
          (docs.uploaded ?? 0) + (docs.processing ?? 0) > 0
        );
      },
    });
    this.sync = sync;
    sync.on('changed', onChanged);
    // The sync retries by itself; an unheard 'error' event would crash the process. Its network
    // failures reach the engine through the client (by kind), so the server shows offline at once.
    sync.on('error', () => undefined);
    const unsubscribe = api.onUnreachable((err: AppError) => engine.connectivity.reportNetworkFailure(err.message));
    engine.on('online', () => sync.poke());
    engine.on('batch-finished', () => sync.poke());

    // The engine notices a dead server only when it sends something; an idle app would show
    // "online" forever. A cheap health check closes that gap, and the engine's own probe loop
    // brings it back online.
    const watch = setInterval(() => {
      if (!engine.connectivity.isOnline) return;
      api.health(AbortSignal.timeout(5_000)).then(
        (h) => {
          if (h.status !== 'ok')
            engine.connectivity.reportNetworkFailure('The server reports a problem with its database or storage.');
        },
        (err: unknown) => engine.connectivity.reportNetworkFailure(err instanceof Error ? err.message : String(err)),
      );
    }, this.opts.watchIntervalMs ?? 5_000);
    watch.unref();
    this.stopFollowing = () => {
      clearInterval(watch);
      unsubscribe();
      sync.stop();
    };
    engine.start();
    sync.start();
  }

  /**
   * The command line's start: once signed in, catch up with the change feed (bounded), which
   * decides whether files whose documents were deleted on the server count as new again, then
   * start uploading. A server that did not answer the sign-in leaves the engine waiting for it.
   */
  async catchUpAndStart(signedIn: Promise<boolean>): Promise<void> {
    if (!(await signedIn)) this.engine.connectivity.reportNetworkFailure('The server did not answer the sign-in.');
    else
      await new ChangeFeedSync(this.api, this.mirror).syncOnce(AbortSignal.timeout(CATCH_UP_MS)).catch(() => undefined);
    this.engine.start();
  }

  /** Queue file ids that belong to these documents (the mirror also wrote their status on the rows). */
  fileIdsOfDocuments(documentIds: readonly string[]): string[] {
    const fileIds: string[] = [];
    for (let i = 0; i < documentIds.length; i += 500) {
      const chunk = documentIds.slice(i, i + 500);
      const rows = this.opts.db
        .prepare(`SELECT id FROM files WHERE document_id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as { id: string }[];
      fileIds.push(...rows.map((r) => r.id));
    }
    return fileIds;
  }

  /** Poll the change feed now (e.g. right after a review, so lists show the new status). */
  pokeSync(): void {
    this.sync?.poke();
  }

  /** Marks the server unreachable at once (e.g. the local server process exited). */
  reportUnreachable(reason: string): void {
    this.engine.connectivity.reportNetworkFailure(reason);
  }

  /**
   * Stops following and stops the engine (recording where each transfer stands). The sign-in is
   * the connection's, not the session's: `credmate import --watch` opens a second session on it.
   */
  async close(): Promise<void> {
    this.stopFollowing?.();
    this.stopFollowing = null;
    if (this.engine.isRunning) await this.engine.stop();
  }
}
