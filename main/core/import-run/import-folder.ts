import { resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { DocumentSummary } from '../../../common/api';
import { QUEUE_STATES, type QueueState, type QueueStats, type ScanProgress } from '../../../common/domain';
import type { ApiClient } from '../api-client';
import { setClientSetting } from '../db/client-settings';
import { openQueueDb, queueDbPath } from '../db/open-queue-db';
import type { FileRow } from '../db/queue-rows';
import type { QueueScanResult } from '../queue-scan';
import { scanFolder, type ScannedFileDetail, type ScanResult } from '../scan/scan-folder';
import { DONE_STATES as DONE } from '../session/import-policy';
import { ImportSession } from '../session/import-session';
import type { UploadEngine } from '../upload/upload-engine';
import { fetchBatchResults, type BatchResults } from './batch-results';
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
  /**
   * Where the time went (bench:upload prints it): milliseconds since this process started at each
   * step; null for a step that did not happen (no sign-in answer, nothing sent).
   */
  timings: ImportTimings;
  /** With --wait, when this run uploaded new documents: the batch's results (batch-results.ts). */
  results?: BatchResults;
  /** With --wait: why the batch's results could not be read (the import itself went through). */
  resultsError?: string;
}

export interface ImportTimings {
  importStart: number;
  signedIn: number | null;
  catchUpDone: number | null;
  scanDone: number | null;
  firstPartSent: number | null;
  lastPartSent: number | null;
  uploadsIdle: number | null;
  /** After --wait, or the same as uploadsIdle without it. */
  done: number | null;
  /** This process's peak resident memory so far, in MB, when the import ended. */
  peakRssMb?: number;
  /**
   * The longest the event loop was held during the import (ms, sampled every 10 ms): the progress
   * line redraws from it every 200 ms, so under that the scan never blocked the line.
   */
  maxLoopDelayMs?: number;
}

/** Milliseconds since this process started (performance's time origin). */
const sinceProcessStart = (): number => Math.round(performance.now());

/**
 * `credmate import` without the terminal: scan → queue (offline-safe) → upload → optionally wait
 * for processing, over one import session (main/core/session), whose policy decides what happens
 * to files this folder queued before: finished ones count as already imported, failed or
 * cancelled ones are retried, interrupted ones resume.
 */
export async function importFolder(opts: ImportFolderOptions): Promise<ImportSummary> {
  const started = Date.now();
  const timings: ImportTimings = {
    importStart: sinceProcessStart(),
    signedIn: null,
    catchUpDone: null,
    scanDone: null,
    firstPartSent: null,
    lastPartSent: null,
    uploadsIdle: null,
    done: null,
  };
  void opts.signedIn.then((ok) => ok && (timings.signedIn = sinceProcessStart())).catch(() => undefined);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const db = openQueueDb(queueDbPath(opts.dataDir));
  const session = new ImportSession({
    db,
    api: opts.api,
    mode: opts.serverMode ?? 'remote',
    reauth: (s) => opts.reauth(s),
    concurrency: opts.concurrency,
  });
  const engine = session.engine;
  let ended = false;
  try {
    setClientSetting(db, 'last_server', opts.api.baseUrl);
    setClientSetting(db, 'last_server_mode', session.mode);
    const folder = resolve(opts.folder);
    // Upload while the scan is still going: each group of scanned files is queued as it arrives.
    const run = new FolderRun(session, session.queue.createBatch(`Import of ${folder}`).id);
    let bytesSent = 0;
    engine.on('part-sent', (p) => {
      bytesSent += p.bytes;
      timings.lastPartSent = sinceProcessStart();
      timings.firstPartSent ??= timings.lastPartSent;
    });
    if (opts.onUploadProgress) {
      const report = opts.onUploadProgress;
      engine.on('stats', (s) => report(statsFor(engine, run.ours(), s)));
    }
    const scan = await scanWhileConnecting(session, run, folder, opts, () => ended, timings);
    await run.settled();
    await engine.waitIdle(opts.signal);
    timings.uploadsIdle = sinceProcessStart();
    await engine.stop();

    const summary = summarize(run, scan, folder, { bytesSent, started, timings });
    if (opts.waitSeconds && opts.waitSeconds > 0) {
      const docIds = run
        .rowsForWaiting()
        .map((r) => r.document_id)
        .filter((d): d is string => !!d);
      summary.processing = await waitForProcessing(db, opts.api, docIds, opts.waitSeconds * 1000, opts.signal);
      Object.assign(summary, await resultsOf(session, run.batchId, docIds, opts.signal));
    }
    summary.seconds = Math.round((Date.now() - started) / 100) / 10;
    timings.done = sinceProcessStart();
    timings.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    timings.maxLoopDelayMs = Math.round(loopDelay.max / 1e6);
    return summary;
  } finally {
    loopDelay.disable();
    ended = true;
    await session.close();
    db.close();
  }
}

/** This run's files: what it queued, what it found queued before, and the retries it started. */
class FolderRun {
  readonly queued: QueueScanResult['queued'] = [];
  readonly previous: QueueScanResult['previous'] = [];
  readonly localDuplicates: QueueScanResult['localDuplicates'] = [];
  readonly previouslyDone: string[] = [];
  private readonly applying: Promise<unknown>[] = [];
  private batchPrepared = false;

  constructor(
    private readonly session: ImportSession,
    readonly batchId: string,
  ) {}

  /** Queues one group of scanned files into this run's batch (the session's policy applies). */
  queueGroup(files: ScannedFileDetail[]): void {
    const { result, plan, applied } = this.session.queueFiles(files, { intoBatchId: this.batchId, startNow: true });
    this.queued.push(...result.queued);
    this.previous.push(...result.previous);
    // A copy is reported again once its original turns up: count it once.
    const known = new Set(this.localDuplicates.map((d) => d.scanFileId));
    this.localDuplicates.push(...result.localDuplicates.filter((d) => !known.has(d.scanFileId)));
    this.previouslyDone.push(...plan.done);
    // Only a run with something to send makes a server batch (a run of duplicates makes none).
    if (this.queued.length > 0 && !this.batchPrepared) {
      this.batchPrepared = true;
      this.session.engine.prepareBatch(this.batchId);
    }
    // Retries re-read their files first: awaited before the run waits for the engine to go idle.
    this.applying.push(applied);
  }

  async settled(): Promise<void> {
    await Promise.all(this.applying);
  }

  /**
   * Queue ids whose transfer belongs to this run (previously finished ones excluded), each once:
   * the scan reports a file again when a copy found first turns out to be the later copy.
   */
  ours(): string[] {
    return [
      ...new Set([
        ...this.queued.map((q) => q.fileId),
        ...this.previous.filter((p) => !DONE.includes(p.state)).map((p) => p.fileId),
      ]),
    ];
  }

  rows(): FileRow[] {
    return this.ours()
      .map((id) => this.session.queue.getFile(id))
      .filter((r): r is FileRow => r !== null);
  }

  /** Every document this folder has on the server: this run's and those imported before. */
  rowsForWaiting(): FileRow[] {
    const ids = new Set([...this.ours(), ...this.previouslyDone]);
    return [...ids].map((id) => this.session.queue.getFile(id)).filter((r): r is FileRow => r !== null);
  }
}

/**
 * The scan (hashing most of all) needs no server: it runs while the sign-in and the catch-up with
 * the server's change feed do. Scanned files are queued after the catch-up, which decides whether
 * files whose documents were deleted on the server count as new again. A refused sign-in stops
 * the scan and is the error reported.
 */
async function scanWhileConnecting(
  session: ImportSession,
  run: FolderRun,
  folder: string,
  opts: ImportFolderOptions,
  ended: () => boolean,
  timings: ImportTimings,
): Promise<ScanResult> {
  const waiting: ScannedFileDetail[][] = [];
  let connected = false;
  const refused = new AbortController();
  const connecting = session.catchUpAndStart(opts.signedIn).then(() => {
    timings.catchUpDone = sinceProcessStart();
    if (ended()) return; // interrupted meanwhile: the queue is closed
    connected = true;
    for (const group of waiting.splice(0)) run.queueGroup(group);
  });
  connecting.catch((err: unknown) => refused.abort(err));
  const scan = await scanFolder(
    { paths: [folder], include: opts.include, exclude: opts.exclude },
    {
      signal: opts.signal ? AbortSignal.any([opts.signal, refused.signal]) : refused.signal,
      onProgress: opts.onScanProgress,
      onFiles: (files) => (connected ? run.queueGroup(files) : waiting.push(files)),
      ...session.scanHooks(),
    },
  ).catch(async (err: unknown) => {
    // A refused sign-in is the error to report; an interrupt (Ctrl-C) does not wait for the sign-in.
    if (!opts.signal?.aborted) await connecting;
    throw err;
  });
  timings.scanDone = sinceProcessStart();
  await connecting;
  return scan;
}

/** The results of the server batch this run created, if it created one (a run of duplicates only did not). */
async function resultsOf(
  session: ImportSession,
  localBatchId: string,
  docIds: readonly string[],
  signal?: AbortSignal,
): Promise<Pick<ImportSummary, 'results' | 'resultsError'>> {
  const serverBatchId = session.queue.getBatch(localBatchId)?.serverBatchId;
  if (!serverBatchId) return {};
  const docs = docIds.map((id) => session.mirror.get(id)).filter((d): d is DocumentSummary => d !== null);
  try {
    return { results: await fetchBatchResults(session.api, serverBatchId, docs, signal) };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { resultsError: err instanceof Error ? err.message : String(err) };
  }
}

function summarize(
  run: FolderRun,
  scan: ScanResult,
  folder: string,
  t: { bytesSent: number; started: number; timings: ImportTimings },
): ImportSummary {
  const rows = run.rows();
  const notDone = rows.filter((r) => !DONE.includes(r.state));
  const pdfs = scan.files.filter((f) => f.kind === 'pdf');
  const skipped = scan.files.filter((f) => f.kind === 'skipped');
  const byPath = new Map(scan.files.map((f) => [f.id, f.path]));
  return {
    folder,
    batchId: run.batchId,
    counts: {
      pdfs: pdfs.length,
      uploaded: rows.filter((r) => r.state === 'uploaded').length,
      duplicate: rows.filter((r) => r.state === 'duplicate').length + run.localDuplicates.length,
      alreadyImported: run.previouslyDone.length,
      skipped: skipped.length,
      failed: notDone.length,
    },
    skipped: skipped.map((f) => ({ path: f.path, reason: f.skipReason ?? 'skipped' })),
    failed: notDone.map((r) => ({
      path: r.path,
      kind: r.error_kind ?? r.state,
      message: r.error_message ?? `ended ${r.state}`,
    })),
    duplicates: [
      ...rows
        .filter((r) => r.state === 'duplicate')
        .map((r) => ({ path: r.path, of: r.document_id ?? '', where: 'server' as const })),
      ...run.localDuplicates.map((d) => ({
        path: byPath.get(d.scanFileId) ?? '',
        of: byPath.get(d.duplicateOf) ?? '',
        where: 'folder' as const,
      })),
    ],
    bytes: { total: pdfs.reduce((n, f) => n + f.sizeBytes, 0), sent: t.bytesSent },
    uploadSeconds: Math.round((Date.now() - t.started) / 100) / 10,
    seconds: 0,
    timings: t.timings,
  };
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
