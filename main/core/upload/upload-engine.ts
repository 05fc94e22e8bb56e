import { EventEmitter, setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { toSerializedError } from '../../../common/errors';
import type { QueueItem, QueueSelector, QueueStats } from '../../../common/domain';
import type { ApiClient } from '../api-client';
import { flushProgress, isGroupLoss, onProgressLost } from '../db/commit-progress';
import { PartStore } from '../db/part-store';
import { QueueStore } from '../db/queue-store';
import { hashFile } from '../scan/hash-file';
import type Database from 'better-sqlite3';
import { Connectivity } from './connectivity';
import { uploadFile, type FileUploadDeps, type UploadNotice } from './file-upload';
import { PriorityLimiter } from './priority-limiter';
import { startReadingThread } from './read-part';
import { completeBatcher, registerBatcher } from './request-batcher';
import { ServerBatches } from './server-batches';
import { ThroughputMeter } from './throughput-meter';

/** For a call no single file waits on: the engine's lifetime bounds it. */
const NEVER_ABORTED = new AbortController().signal;

/**
 * Requests in flight by default: 10, aws-cli's default. In bench:upload (1,003 files) 6 left small
 * files queued behind register and complete calls waiting on the server (9.1 s at 6, 7.2 s at 10,
 * before those calls were batched); 16 has measured no faster since. Memory: 10 parts of 5 MiB.
 */
export const DEFAULT_CONCURRENCY = 10;

/**
 * Files in flight at once, at least: a small file spends most of its life waiting on its register
 * and complete answers, not sending, so with only 2 × concurrency of them the store sat idle and
 * each batch call carried 1-4 files (issue 17: 400 × 350 kB took 10.5 s to transfer at
 * concurrency 4, the same PUTs 3.3 s in a plain loop). An active file holds no bytes until its part
 * takes a transfer slot, so this costs a row read and a promise each.
 */
const MIN_ACTIVE_FILES = 64;
/**
 * Batched API calls (registers, completes) in flight besides the transfers: each batcher keeps at
 * most 2 requests out, and they no longer wait behind part PUTs for a slot nor hold one while the
 * server makes a completion durable.
 */
const API_SLOTS = 4;

export interface UploadEngineOptions {
  db: Database.Database;
  api: ApiClient;
  /** Simultaneous transfers (part PUTs) across all files, besides a few batched API calls. Default DEFAULT_CONCURRENCY. */
  concurrency?: number;
  /** Signs in again after a 401; without it a 401 fails the file. */
  reauth?: (signal: AbortSignal) => Promise<void>;
  /** Re-sign a part URL when less than this remains of its life (default 10 s). */
  signedUrlMarginMs?: number;
  /** Awaited before each part is read and sent (bandwidth shaping, instrumentation). */
  beforePartSend?: (info: { fileId: string; partNumber: number }) => Promise<void>;
  /** Minimum interval between `items`/`stats` events (default 250 ms). */
  eventIntervalMs?: number;
}

/** Events of the engine; payload shapes match preload/contract.ts where the desktop forwards them. */
export interface UploadEngineEvents {
  items: [items: QueueItem[]];
  stats: [stats: QueueStats];
  'part-sent': [info: { fileId: string; partNumber: number; bytes: number }];
  resigned: [info: { fileId: string; partNumber: number }];
  online: [];
  offline: [reason: string];
  'batch-finished': [info: { batchId: string; uploaded: number; duplicates: number; failed: number }];
  /** Nothing queued or in flight any more. */
  idle: [];
}

/**
 * The upload engine: takes queued files from the local queue and uploads each through the
 * server's multipart protocol, sharing one priority limiter. State lives in SQLite, so `stop()`
 * (or a crash) followed by `start()` resumes where it was.
 */
export class UploadEngine extends EventEmitter<UploadEngineEvents> {
  readonly queue: QueueStore;
  readonly parts: PartStore;
  readonly connectivity: Connectivity;
  private readonly limiter: PriorityLimiter;
  private readonly active = new Map<string, AbortController>();
  private readonly serverBatches: ServerBatches;
  private readonly meter = new ThroughputMeter();
  private readonly changed = new Set<string>();
  private readonly batchesTouched = new Set<string>();
  private running = false;
  /** Queue position (seq) of the last file started, and the requeue count it is valid for (startNext). */
  private cursor = 0;
  private maxStarted = 0;
  private requeuesSeen = -1;
  private pumpScheduled = false;
  /** Every file this engine started: only these may be requeued as interrupted (another process may share the queue). */
  private readonly started = new Set<string>();
  /** Files aborted because their recorded progress was rolled back: queued again once they stop. */
  private readonly lost = new Set<string>();
  private concurrency: number;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly eventIntervalMs: number;
  private readonly deps: FileUploadDeps;

  constructor(private readonly opts: UploadEngineOptions) {
    super();
    this.queue = new QueueStore(opts.db);
    this.parts = new PartStore(opts.db);
    this.concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
    this.limiter = new PriorityLimiter(this.concurrency);
    this.eventIntervalMs = opts.eventIntervalMs ?? 250;
    this.connectivity = new Connectivity((signal) => opts.api.health(signal));
    this.connectivity.on('offline', (reason) => {
      this.emit('offline', reason);
      this.scheduleFlush();
    });
    this.connectivity.on('online', () => {
      this.emit('online');
      this.scheduleFlush();
    });
    const requests = {
      api: opts.api,
      limiter: this.limiter,
      connectivity: this.connectivity,
      reauth: opts.reauth ?? (async () => undefined),
    };
    const apiRequests = { ...requests, limiter: new PriorityLimiter(API_SLOTS) };
    this.deps = {
      ...requests,
      register: registerBatcher(apiRequests),
      complete: completeBatcher(apiRequests),
      queue: this.queue,
      parts: this.parts,
      signedUrlMarginMs: opts.signedUrlMarginMs ?? 10_000,
      serverBatch: (id, signal) => this.serverBatches.resolve(id, signal),
      beforePartSend: opts.beforePartSend,
      notify: (n) => this.onNotice(n),
    };
    this.serverBatches = new ServerBatches(this.deps, this.queue);
    // A progress group rolled back: what the files in flight recorded is gone, so they start again
    // from what is committed (a file that had finished resolves as our own upload on its register).
    onProgressLost(opts.db, () => {
      for (const id of this.active.keys()) this.lost.add(id);
      this.abortActive([...this.active.keys()], 'Recorded progress was lost');
    });
    startReadingThread();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts uploading; files interrupted by a crash or `stop()` resume from their recorded parts. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.queue.requeueInterrupted();
    this.pump();
  }

  /** Stops every transfer; in-flight files go back to `queued` with their parts kept. */
  async stop(): Promise<void> {
    this.running = false;
    const ids = [...this.active.keys()];
    for (const c of this.active.values()) c.abort(new DOMException('Engine stopped', 'AbortError'));
    this.serverBatches.stop();
    await this.waitForWorkers();
    this.queue.transitionSelected({ fileIds: ids }, ['uploading', 'completing'], 'queued');
    this.connectivity.close();
    this.flush();
  }

  /**
   * Creates the local batch's server batch now rather than when its first file registers, so the
   * round trip overlaps the rest of the scan; the scan is still queueing files, so no count is
   * sent. Failures are left to that first file.
   */
  prepareBatch(localBatchId: string): void {
    this.serverBatches.resolve(localBatchId, NEVER_ABORTED, { countKnown: false }).catch(() => undefined);
  }

  setConcurrency(n: number): void {
    this.concurrency = Math.max(1, n);
    this.limiter.setLimit(this.concurrency);
    this.pump();
  }

  /** Wakes the scheduler after files were queued. */
  notifyQueued(): void {
    this.scheduleFlush();
    this.pump();
  }

  pause(sel: QueueSelector): string[] {
    const ids = this.queue.transitionSelected(sel, ['queued', 'uploading', 'completing'], 'paused');
    this.abortActive(ids, 'Paused');
    this.markChanged(ids);
    return ids;
  }

  resume(sel: QueueSelector): string[] {
    const ids = this.queue.transitionSelected(sel, ['paused'], 'queued');
    this.markChanged(ids);
    this.pump();
    return ids;
  }

  /** Cancels files; their server-side multipart uploads are aborted (best effort). */
  async cancel(sel: QueueSelector): Promise<string[]> {
    const ids = this.queue.transitionSelected(
      sel,
      ['queued', 'paused', 'uploading', 'completing', 'failed'],
      'cancelled',
    );
    this.abortActive(ids, 'Cancelled');
    for (const id of ids) {
      const up = this.parts.getUpload(id);
      if (up) await this.opts.api.abortUpload(up.upload_id, AbortSignal.timeout(10_000)).catch(() => undefined);
      this.parts.dropUpload(id);
    }
    this.markChanged(ids);
    return ids;
  }

  /** Failed or cancelled files go back to the queue; a file that changed on disk is re-read first. */
  async retry(sel: QueueSelector): Promise<string[]> {
    const ids = this.queue.selectIds(sel, ['failed', 'cancelled']);
    for (const id of ids) {
      const f = this.queue.getFile(id);
      if (!f) continue;
      try {
        const digest = await hashFile(f.path);
        const st = await stat(f.path);
        if (digest.sha256 !== f.sha256 || st.size !== f.size_bytes) this.parts.dropUpload(id);
        this.queue.update(id, { sha256: digest.sha256, sizeBytes: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // Still unreadable or gone: queue it anyway, the upload reports why again.
      }
    }
    this.queue.transitionSelected({ fileIds: ids }, ['failed', 'cancelled'], 'queued', true);
    this.markChanged(ids);
    this.pump();
    return ids;
  }

  stats(): QueueStats {
    const c = this.queue.counts();
    const bps = this.meter.bytesPerSecond();
    const remaining = c.bytesTotal - c.bytesDone - this.bytesOf(['failed']);
    return {
      ...c,
      bytesPerSecond: bps,
      etaSeconds: bps > 0 && remaining > 0 ? remaining / bps : remaining <= 0 ? 0 : null,
      online: this.connectivity.isOnline,
      lastError: this.connectivity.lastError,
    };
  }

  /** Resolves when nothing is queued or in flight (paused, failed and finished files don't count). */
  waitIdle(signal?: AbortSignal): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onIdle = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.off('idle', onIdle);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.once('idle', onIdle);
    });
  }

  private isIdle(): boolean {
    const c = this.queue.counts();
    return this.active.size === 0 && c.byState.queued === 0 && c.byState.uploading === 0 && c.byState.completing === 0;
  }

  private bytesOf(states: string[]): number {
    const row = this.opts.db
      .prepare(
        `SELECT coalesce(sum(size_bytes - bytes_sent), 0) AS n FROM files WHERE state IN (${states.map(() => '?').join(',')})`,
      )
      .get(...states) as { n: number };
    return row.n;
  }

  private pump(): void {
    if (!this.running) return;
    const room = Math.max(MIN_ACTIVE_FILES, this.limiterSlots() * 2) - this.active.size;
    if (room > 0) this.startNext(room);
    if (this.active.size > 0) return;
    if (this.isIdle()) {
      // Whoever waits for idle may close the database next: the last progress group commits now.
      try {
        flushProgress(this.opts.db);
      } catch {
        // Its commit failed and was rolled back: the files it held are requeued below.
      }
      if (this.isIdle()) {
        // None of ours is mid-transfer now: forget them (a long watch would otherwise keep every id).
        this.started.clear();
        this.flush();
        this.emit('idle');
        return;
      }
    }
    // Nothing in flight yet files of ours recorded mid-transfer: a progress group whose commit failed
    // was rolled back (commit-progress.ts). Sent again, they resolve as our own upload. Only ours:
    // another process (a second import, a watch) may be sending the others now.
    const ours = [...this.started];
    this.started.clear();
    if (this.queue.transitionSelected({ fileIds: ours }, ['uploading', 'completing'], 'queued').length > 0) this.pump();
  }

  /**
   * Starts up to `room` queued files, oldest first. Files are started in queue order, so the next
   * ones come after the last started (the cursor) unless a file was queued again since (resume,
   * retry, a stop or crash): then the whole queue is looked at once more.
   */
  private startNext(room: number): void {
    const requeues = this.queue.requeueCount();
    // Nothing in flight: a look at the whole queue costs nothing then, and misses nothing.
    if (requeues !== this.requeuesSeen || this.active.size === 0) {
      this.requeuesSeen = requeues;
      this.cursor = 0;
    }
    // Past every file started so far, none of those in flight can come back: nothing to skip.
    const skip = this.cursor >= this.maxStarted ? new Set<string>() : new Set(this.active.keys());
    for (const f of this.queue.nextQueued(room, skip, this.cursor)) {
      this.cursor = Math.max(this.cursor, f.seq);
      this.maxStarted = Math.max(this.maxStarted, f.seq);
      this.startFile(f.id, f.batch_id);
    }
  }

  /**
   * One pump per event-loop turn for the files that finished in it: a complete answer ends dozens
   * at once, and each pump asks the queue for the next files.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private limiterSlots(): number {
    return this.concurrency;
  }

  private startFile(fileId: string, batchId: string): void {
    const ctrl = new AbortController();
    // Every waiting part of a big file listens on this signal (hundreds for a 2 GB scan).
    setMaxListeners(0, ctrl.signal);
    this.active.set(fileId, ctrl);
    this.started.add(fileId);
    this.batchesTouched.add(batchId);
    void uploadFile(this.deps, fileId, ctrl.signal)
      .catch((err: unknown) => {
        // The write that rolled back its group fails its file (a full disk must not requeue forever).
        if (ctrl.signal.aborted && !isGroupLoss(err)) return;
        this.lost.delete(fileId);
        try {
          this.queue.updateProgress(fileId, { state: 'failed', error: toSerializedError(err) });
        } catch {
          // Not recorded (a failed group's error, the disk full): the row still says uploading, so
          // the file is queued again when nothing is in flight (pump).
        }
        this.markChanged([fileId]);
      })
      .finally(() => {
        if (this.lost.delete(fileId)) this.requeueLost(fileId);
        this.active.delete(fileId);
        this.checkBatchFinished(batchId);
        this.schedulePump();
      });
  }

  private requeueLost(fileId: string): void {
    try {
      this.queue.transitionSelected({ fileIds: [fileId] }, ['uploading', 'completing'], 'queued');
      this.markChanged([fileId]);
    } catch {
      // Left as uploading: pump queues it again when nothing is in flight.
    }
  }

  private checkBatchFinished(batchId: string): void {
    // Runs after every file: the full per-state count only once the batch has nothing left to send.
    if (!this.batchesTouched.has(batchId) || this.queue.hasUnfinished(batchId)) return;
    this.batchesTouched.delete(batchId);
    const c = this.queue.counts(batchId);
    this.emit('batch-finished', {
      batchId,
      uploaded: c.byState.uploaded,
      duplicates: c.byState.duplicate,
      failed: c.byState.failed,
    });
  }

  private abortActive(ids: string[], why: string): void {
    for (const id of ids) this.active.get(id)?.abort(new DOMException(why, 'AbortError'));
  }

  private async waitForWorkers(): Promise<void> {
    while (this.active.size > 0) await new Promise((r) => setTimeout(r, 20));
  }

  private onNotice(n: UploadNotice): void {
    if (n.type === 'part-sent') {
      this.meter.add(n.bytes);
      this.emit('part-sent', { fileId: n.fileId, partNumber: n.partNumber, bytes: n.bytes });
    } else if (n.type === 'resigned') {
      this.emit('resigned', { fileId: n.fileId, partNumber: n.partNumber });
    }
    this.markChanged([n.fileId]);
  }

  private markChanged(ids: string[]): void {
    for (const id of ids) this.changed.add(id);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), this.eventIntervalMs);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.changed.size > 0) {
      const ids = [...this.changed];
      this.changed.clear();
      // Read the rows only for someone listening (the desktop's queue does; the CLI's import does not).
      if (this.listenerCount('items') > 0) this.emit('items', this.queue.getItems(ids));
    }
    // Only for someone listening too: stats() counts the whole queue (two grouped scans of every
    // row), every 250 ms of an import; `credmate import --json` has no progress line to feed
    // (issue 17, client CPU profile of 5,000 files: the largest cost of its own after SQLite commits).
    if (this.listenerCount('stats') > 0) this.emit('stats', this.stats());
  }
}
