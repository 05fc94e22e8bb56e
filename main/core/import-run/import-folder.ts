import { resolve } from 'node:path';
import { QUEUE_STATES, type QueueState, type QueueStats, type ScanProgress } from '../../../common/domain';
import type { ApiClient } from '../api-client';
import { setClientSetting } from '../db/client-settings';
import { openQueueDb, queueDbPath } from '../db/open-queue-db';
import type { FileRow } from '../db/queue-rows';
import { queueScan, type QueueScanResult } from '../queue-scan';
import { scanFolder, type ScannedFileDetail } from '../scan/scan-folder';
import { ChangeFeedSync } from '../sync/change-feed-sync';
import { DocumentsMirror } from '../sync/documents-mirror';
import { UploadEngine } from '../upload/upload-engine';
import { waitForProcessing, type ProcessingResult } from './wait-for-processing';

export interface ImportFolderOptions {
  folder: string;
  dataDir: string;
  api: ApiClient;
  reauth: (signal?: AbortSignal) => Promise<void>;
  /** Bundled server started for this import, or a remote one (recorded for `credmate status`). */
  serverMode?: 'local' | 'remote';
  /** The first sign-in: false when the server was unreachable (uploads wait for it); rejects when refused. */
  signedIn: Promise<boolean>;
  include?: string[];
  exclude?: string[];
  concurrency?: number;
  /** After uploading, wait until every document left `processing` (seconds; 0 = don't wait). */
  waitSeconds?: number;
  signal?: AbortSignal;
  onScanProgress?: (p: ScanProgress) => void;
  onUploadProgress?: (s: QueueStats) => void;
}

export interface ImportSummary {
  folder: string;
  batchId: string;
  counts: {
    pdfs: number;
    uploaded: number;
    duplicate: number;
    alreadyImported: number;
    skipped: number;
    failed: number;
  };
  skipped: { path: string; reason: string }[];
  failed: { path: string; kind: string; message: string }[];
  duplicates: { path: string; of: string; where: 'server' | 'folder' }[];
  bytes: { total: number; sent: number };
  /** Scan and upload only, so a transfer rate is not diluted by --wait. */
  uploadSeconds: number;
  seconds: number;
  processing?: ProcessingResult;
}

const DONE: readonly QueueState[] = ['uploaded', 'duplicate'];

/**
 * `credmate import` without the terminal: scan → queue (offline-safe) → upload → optionally wait
 * for processing. Files this folder queued before are not queued twice: finished ones count as
 * already imported, failed or cancelled ones are retried, interrupted ones resume.
 */
export async function importFolder(opts: ImportFolderOptions): Promise<ImportSummary> {
  const started = Date.now();
  const db = openQueueDb(queueDbPath(opts.dataDir));
  const engine = new UploadEngine({ db, api: opts.api, concurrency: opts.concurrency, reauth: (s) => opts.reauth(s) });
  let ended = false;
  try {
    setClientSetting(db, 'last_server', opts.api.baseUrl);
    setClientSetting(db, 'last_server_mode', opts.serverMode ?? 'remote');
    const folder = resolve(opts.folder);
    // Upload while the scan is still going: each group of scanned files is queued as it arrives.
    const batch = engine.queue.createBatch(`Import of ${folder}`);
    const queued = {
      queued: [] as { scanFileId: string; fileId: string }[],
      previous: [] as QueueScanResult['previous'],
      localDuplicates: [] as QueueScanResult['localDuplicates'],
    };
    const previouslyDone: string[] = [];
    let bytesSent = 0;
    engine.on('part-sent', (p) => (bytesSent += p.bytes));
    const pendingRetries: Promise<unknown>[] = [];
    const queueGroup = (files: ScannedFileDetail[]): void => {
      const r = queueScan(engine.queue, files, { intoBatchId: batch.id });
      queued.queued.push(...r.queued);
      queued.previous.push(...r.previous);
      queued.localDuplicates.push(...r.localDuplicates);
      previouslyDone.push(...r.previous.filter((p) => DONE.includes(p.state)).map((p) => p.fileId));
      const toResume = r.previous.filter((p) => p.state === 'paused').map((p) => p.fileId);
      const toRetry = r.previous.filter((p) => p.state === 'failed' || p.state === 'cancelled').map((p) => p.fileId);
      if (toResume.length) engine.resume({ fileIds: toResume });
      if (toRetry.length) pendingRetries.push(engine.retry({ fileIds: toRetry }));
      engine.notifyQueued();
    };
    const ours = (): string[] => [
      ...queued.queued.map((q) => q.fileId),
      ...queued.previous.filter((p) => !DONE.includes(p.state)).map((p) => p.fileId),
    ];
    if (opts.onUploadProgress) {
      const report = opts.onUploadProgress;
      engine.on('stats', (s) => report(statsFor(engine, ours(), s)));
    }

    // The scan (hashing most of all) needs no server: it runs while the sign-in and the catch-up
    // with the server's change feed do. Scanned files are queued after the catch-up, which decides
    // whether files whose documents were deleted on the server count as new again.
    const waiting: ScannedFileDetail[][] = [];
    let connected = false;
    const refused = new AbortController();
    const connecting = (async () => {
      if (!(await opts.signedIn)) engine.connectivity.reportNetworkFailure('The server did not answer the sign-in.');
      else
        await new ChangeFeedSync(opts.api, new DocumentsMirror(db))
          .syncOnce(AbortSignal.timeout(30_000))
          .catch(() => undefined);
      if (ended) return; // interrupted meanwhile: the queue is closed
      engine.start();
      connected = true;
      for (const group of waiting.splice(0)) queueGroup(group);
    })();
    connecting.catch((err: unknown) => refused.abort(err));
    const scan = await scanFolder(
      { paths: [folder], include: opts.include, exclude: opts.exclude },
      {
        signal: opts.signal ? AbortSignal.any([opts.signal, refused.signal]) : refused.signal,
        onProgress: opts.onScanProgress,
        onFiles: (files) => (connected ? queueGroup(files) : waiting.push(files)),
        knownSha256: (p, s, m) => engine.queue.knownSha256(p, s, m),
        isQueued: (sha) => !!engine.queue.latestBySha256(sha),
      },
    ).catch(async (err: unknown) => {
      // A refused sign-in is the error to report; an interrupt (Ctrl-C) does not wait for the sign-in.
      if (!opts.signal?.aborted) await connecting;
      throw err;
    });
    await connecting;
    await Promise.all(pendingRetries);
    await engine.waitIdle(opts.signal);
    await engine.stop();

    const rows = ours()
      .map((id) => engine.queue.getFile(id))
      .filter((r): r is FileRow => r !== null);
    const byPath = new Map(scan.files.map((f) => [f.id, f.path]));
    const summary: ImportSummary = {
      folder,
      batchId: batch.id,
      counts: {
        pdfs: scan.files.filter((f) => f.kind === 'pdf').length,
        uploaded: rows.filter((r) => r.state === 'uploaded').length,
        duplicate: rows.filter((r) => r.state === 'duplicate').length + queued.localDuplicates.length,
        alreadyImported: previouslyDone.length,
        skipped: scan.files.filter((f) => f.kind === 'skipped').length,
        failed: rows.filter((r) => !DONE.includes(r.state)).length,
      },
      skipped: scan.files
        .filter((f) => f.kind === 'skipped')
        .map((f) => ({ path: f.path, reason: f.skipReason ?? 'skipped' })),
      failed: rows
        .filter((r) => !DONE.includes(r.state))
        .map((r) => ({ path: r.path, kind: r.error_kind ?? r.state, message: r.error_message ?? `ended ${r.state}` })),
      duplicates: [
        ...rows
          .filter((r) => r.state === 'duplicate')
          .map((r) => ({ path: r.path, of: r.document_id ?? '', where: 'server' as const })),
        ...queued.localDuplicates.map((d) => ({
          path: byPath.get(d.scanFileId) ?? '',
          of: byPath.get(d.duplicateOf) ?? '',
          where: 'folder' as const,
        })),
      ],
      bytes: {
        total: scan.files.filter((f) => f.kind === 'pdf').reduce((n, f) => n + f.sizeBytes, 0),
        sent: bytesSent,
      },
      uploadSeconds: Math.round((Date.now() - started) / 100) / 10,
      seconds: 0,
    };
    if (opts.waitSeconds && opts.waitSeconds > 0) {
      const docIds = [
        ...rows,
        ...previouslyDone.map((id) => engine.queue.getFile(id)).filter((r): r is FileRow => r !== null),
      ]
        .map((r) => r.document_id)
        .filter((d): d is string => !!d);
      summary.processing = await waitForProcessing(db, opts.api, docIds, opts.waitSeconds * 1000, opts.signal);
    }
    summary.seconds = Math.round((Date.now() - started) / 100) / 10;
    return summary;
  } finally {
    ended = true;
    if (engine.isRunning) await engine.stop();
    db.close();
  }
}

/** Progress figures for this import's files only (a long-lived queue holds older ones too). */
function statsFor(engine: UploadEngine, ids: readonly string[], whole: QueueStats): QueueStats {
  const byState = Object.fromEntries(QUEUE_STATES.map((s) => [s, 0])) as Record<QueueState, number>;
  let bytesTotal = 0;
  let bytesDone = 0;
  for (const id of ids) {
    const r = engine.queue.getFile(id);
    if (!r) continue;
    byState[r.state]++;
    bytesTotal += r.size_bytes;
    bytesDone += DONE.includes(r.state) ? r.size_bytes : r.bytes_sent;
  }
  const left = bytesTotal - bytesDone;
  const bps = whole.bytesPerSecond;
  return {
    ...whole,
    total: ids.length,
    byState,
    bytesTotal,
    bytesDone,
    etaSeconds: bps > 0 ? left / bps : left === 0 ? 0 : null,
  };
}
