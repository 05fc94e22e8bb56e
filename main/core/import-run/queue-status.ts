import { existsSync } from 'node:fs';
import type { HealthResponse } from '../../../common/api';
import { ApiClient } from '../api-client';
import { getClientSetting } from '../db/client-settings';
import { openQueueDb, queueDbPath } from '../db/open-queue-db';
import { QueueStore } from '../db/queue-store';
import { DocumentsMirror } from '../sync/documents-mirror';
import type { QueueState } from '../../../common/domain';

export interface QueueStatus {
  queueDb: string;
  exists: boolean;
  files: number;
  byState: Partial<Record<QueueState, number>>;
  bytesTotal: number;
  bytesDone: number;
  batches: number;
  failed: { path: string; message: string }[];
  documents: Record<string, number>;
  server: { url: string | null; reachable: boolean; health?: HealthResponse; message?: string };
}

/** The local queue's state and whether its server answers (`credmate status`). */
export async function queueStatus(dataDir: string, serverUrl?: string): Promise<QueueStatus> {
  const file = queueDbPath(dataDir);
  const exists = existsSync(file);
  const base: QueueStatus = {
    queueDb: file,
    exists,
    files: 0,
    byState: {},
    bytesTotal: 0,
    bytesDone: 0,
    batches: 0,
    failed: [],
    documents: {},
    server: { url: serverUrl ?? null, reachable: false },
  };
  let lastServer: string | null = null;
  let lastMode: string | null = null;
  if (exists) {
    const db = openQueueDb(file);
    try {
      const q = new QueueStore(db);
      const c = q.counts();
      base.files = c.total;
      base.byState = Object.fromEntries(Object.entries(c.byState).filter(([, n]) => n > 0));
      base.bytesTotal = c.bytesTotal;
      base.bytesDone = c.bytesDone;
      base.batches = q.listBatches().length;
      base.failed = q
        .list({ offset: 0, limit: 20, state: 'failed' })
        .items.map((i) => ({ path: i.path, message: i.error?.message ?? '' }));
      base.documents = new DocumentsMirror(db).countByStatus() as Record<string, number>;
      lastServer = getClientSetting(db, 'last_server');
      lastMode = getClientSetting(db, 'last_server_mode');
    } finally {
      db.close();
    }
  }
  const url = serverUrl ?? lastServer;
  base.server.url = url;
  if (!url)
    return {
      ...base,
      server: { url: null, reachable: false, message: 'No server used yet; `credmate import` starts the bundled one.' },
    };
  try {
    const health = await new ApiClient(url).health(AbortSignal.timeout(5_000));
    return { ...base, server: { url, reachable: true, health } };
  } catch (err) {
    const hint =
      !serverUrl && lastMode === 'local' ? ' (the bundled server runs only while `credmate import` does)' : '';
    return {
      ...base,
      server: { url, reachable: false, message: `${err instanceof Error ? err.message : String(err)}${hint}` },
    };
  }
}
