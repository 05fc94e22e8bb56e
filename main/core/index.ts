/**
 * Public API of the upload core (plain Node, no Electron): what main/services binds to the IPC
 * contract and what `credmate import` / `credmate status` run on.
 *
 * Both front ends go through one import session (session/import-session.ts, with its policy in
 * session/import-policy.ts); the pieces it wires, for tests and tools:
 *   const db = openQueueDb(queueDbPath(dataDir));
 *   const api = new ApiClient(serverUrl); await api.login(email, password);
 *   const { files } = await scanFolder({ paths }, { signal, onProgress, onFiles,
 *     knownSha256: (p, s, m) => store.knownSha256(p, s, m), isQueued: (sha) => countsAsQueued(store.latestBySha256(sha)) });
 *   const engine = new UploadEngine({ db, api, reauth }); engine.on('items' | 'stats' | ..., ...);
 *   const { batch } = queueScan(engine.queue, files, { batchName, startNow: true }); engine.start(); engine.notifyQueued();
 *   engine.pause/resume/cancel/retry(selector); engine.queue.list({ offset, limit, state, batchId }); engine.stats();
 *   const mirror = new DocumentsMirror(db); const sync = new ChangeFeedSync(api, mirror, { isBusy }); sync.start();
 *   mirror.list(documentQuery);
 */
export { ApiClient, API_TIMEOUT_MS, partTimeoutMs } from './api-client';
export { HttpFailure } from './http-failure';
export { openQueueDb, queueDbPath } from './db/open-queue-db';
export { runMigrations, MIGRATIONS } from './db/migrations';
export { QueueStore, TERMINAL_STATES, type NewQueueFile } from './db/queue-store';
export { PartStore } from './db/part-store';
export { scanFolder, type ScanHooks, type ScanResult, type ScannedFileDetail } from './scan/scan-folder';
export { hashFile } from './scan/hash-file';
export { queueScan, type QueueScanOptions, type QueueScanResult } from './queue-scan';
export { Connectivity, uploadsReachable } from './upload/connectivity';
export { UploadEngine, type UploadEngineEvents, type UploadEngineOptions } from './upload/upload-engine';
export { DocumentsMirror } from './sync/documents-mirror';
export { documentTerms, type DocumentTerms } from './sync/document-terms';
export { ChangeFeedSync, type ChangeFeedSyncOptions } from './sync/change-feed-sync';
export {
  startBundledServer,
  type BundledServer,
  type StartBundledServerOptions,
} from './bundled-server/start-bundled-server';
export { importFolder, type ImportFolderOptions, type ImportSummary } from './import-run/import-folder';
export { connectServer, type ServerConnection, type ServerTarget } from './session/connect';
export { ImportSession, type ImportSessionOptions, type SessionMode } from './session/import-session';
export {
  applyToEngine,
  countsAsQueued,
  planPrevious,
  queueScanHooks,
  queueScanned,
  DONE_STATES,
  type PreviousPlan,
  type QueuedFiles,
} from './session/import-policy';
export { queueStatus, type QueueStatus } from './import-run/queue-status';
