/**
 * One signed-in connection: the core's import session (API client, upload engine, change-feed
 * sync) with its events forwarded to the bus. Closed on sign-out or when the local server is
 * replaced. Policy lives in the session, not here.
 */
import type Database from 'better-sqlite3';
import type { SessionUser } from '../../common/api';
import { type ApiClient, type DocumentsMirror, type UploadEngine } from '../core';
import { ImportSession } from '../core/session/import-session';
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
  readonly session: ImportSession;
  readonly engine: UploadEngine;
  readonly mode: 'local' | 'remote';
  readonly user: SessionUser;
  /** Marks the server unreachable at once (e.g. the local server process exited). */
  reportUnreachable(reason: string): void;
  close(): Promise<void>;
}

export function openConnection(opts: ConnectionOptions): Connection {
  const { bus } = opts;
  const session = new ImportSession({
    db: opts.db,
    api: opts.api,
    mode: opts.mode,
    mirror: opts.mirror,
    reauth: opts.reauth,
    watchIntervalMs: opts.watchIntervalMs,
  });
  const { engine } = session;

  engine.on('items', (items) => bus.emit('queue.items', { items }));
  engine.on('stats', (stats) => bus.emit('queue.stats', stats));
  engine.on('batch-finished', (info) => bus.emit('batch.finished', info));
  const emitStats = () => bus.emit('queue.stats', engine.stats());
  engine.connectivity.on('offline', emitStats);
  engine.connectivity.on('online', emitStats);

  session.follow((ids) => {
    bus.emit('documents.changed', { ids });
    // The mirror also wrote each file's document status: show it on the Queue rows too.
    const fileIds = session.fileIdsOfDocuments(ids);
    if (fileIds.length > 0) {
      bus.emit('queue.items', { items: engine.queue.getItems(fileIds) });
      // Extraction outcomes change the totals (a failed document counts as failed).
      bus.emit('queue.stats', engine.stats());
    }
  });

  return {
    api: opts.api,
    session,
    engine,
    mode: opts.mode,
    user: opts.user,
    reportUnreachable: (reason) => session.reportUnreachable(reason),
    close: async () => {
      await session.close();
      opts.api.signOut();
    },
  };
}
