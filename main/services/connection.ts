/**
 * One signed-in connection: the API client, the upload engine and the change-feed sync over the
 * shared queue database, with their events forwarded to the bus. Closed on sign-out or when the
 * local server is replaced.
 */
import type Database from 'better-sqlite3';
import type { SessionUser } from '../../common/api';
import { type ApiClient, ChangeFeedSync, UploadEngine, type DocumentsMirror } from '../core';
import type { EventBus } from './event-bus';

export interface ConnectionOptions {
  db: Database.Database;
  mirror: DocumentsMirror;
  bus: EventBus;
  api: ApiClient;
  mode: 'local' | 'remote';
  user: SessionUser;
  /** Signs in again after a 401; rejects when that needs the user. */
  reauth: (signal: AbortSignal) => Promise<void>;
  /** How often to check the server while nothing else would notice it is gone. */
  watchIntervalMs?: number;
}

export interface Connection {
  readonly api: ApiClient;
  readonly engine: UploadEngine;
  readonly sync: ChangeFeedSync;
  readonly mode: 'local' | 'remote';
  readonly user: SessionUser;
  /** Marks the server unreachable at once (e.g. the local server process exited). */
  reportUnreachable(reason: string): void;
  close(): Promise<void>;
}

export function openConnection(opts: ConnectionOptions): Connection {
  const { api, bus, mirror } = opts;
  const engine = new UploadEngine({ db: opts.db, api, reauth: opts.reauth });
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

  engine.on('items', (items) => bus.emit('queue.items', { items }));
  engine.on('stats', (stats) => bus.emit('queue.stats', stats));
  engine.on('online', () => sync.poke());
  engine.on('batch-finished', (info) => {
    bus.emit('batch.finished', info);
    sync.poke();
  });
  sync.on('changed', (ids) => {
    bus.emit('documents.changed', { ids });
    // The mirror also wrote each file's document status: show it on the Queue rows too.
    const fileIds: string[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = opts.db
        .prepare(`SELECT id FROM files WHERE document_id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as { id: string }[];
      fileIds.push(...rows.map((r) => r.id));
    }
    if (fileIds.length > 0) {
      bus.emit('queue.items', { items: engine.queue.getItems(fileIds) });
      // Extraction outcomes change the totals (a failed document counts as failed).
      bus.emit('queue.stats', engine.stats());
    }
  });
  // The sync retries by itself; an unheard 'error' event would crash the process. When the server
  // is the problem, say so at once rather than at the next watch tick.
  sync.on('error', (message) => {
    if (/cannot reach|no answer before the deadline/.test(message)) engine.connectivity.reportNetworkFailure(message);
  });

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
  }, opts.watchIntervalMs ?? 5_000);
  watch.unref();
  const emitStats = () => bus.emit('queue.stats', engine.stats());
  engine.connectivity.on('offline', emitStats);
  engine.connectivity.on('online', emitStats);

  engine.start();
  sync.start();

  return {
    api,
    engine,
    sync,
    mode: opts.mode,
    user: opts.user,
    reportUnreachable(reason) {
      engine.connectivity.reportNetworkFailure(reason);
    },
    async close() {
      clearInterval(watch);
      sync.stop();
      await engine.stop();
      api.signOut();
    },
  };
}
