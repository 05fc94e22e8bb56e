import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { SerializedError } from '../../../common/errors';
import {
  QUEUE_STATES,
  type BatchQueueFigures,
  type LocalBatch,
  type QueueItem,
  type QueueSelector,
  type QueueState,
} from '../../../common/domain';
import { commitProgress, flushProgress } from './commit-progress';
import { toLocalBatch, toQueueItem, type BatchRow, type FileRow } from './queue-rows';

/** A PDF to put in the queue (what a scan found). */
export interface NewQueueFile {
  path: string;
  relPath: string;
  fileName: string;
  sizeBytes: number;
  mtimeMs: number;
  sha256: string;
  pages: number | null;
}

export interface FilePatch {
  state?: QueueState;
  bytesSent?: number;
  error?: SerializedError | null;
  documentId?: string | null;
  documentStatus?: string | null;
  sizeBytes?: number;
  mtimeMs?: number;
  sha256?: string;
}

/** States a file never leaves by itself. */
export const TERMINAL_STATES: readonly QueueState[] = ['uploaded', 'duplicate', 'failed', 'cancelled'];
const INSERT_CHUNK = 500;

const now = (): string => new Date().toISOString();
/** Per database: how many times files already in the queue were put back to 'queued' (nextQueued's cursor). */
const requeues = new WeakMap<Database.Database, number>();

/**
 * Batches and files of the local queue. Every state change is one transaction; the engine's
 * transfer progress shares one per event-loop turn (commitProgress), committed before any other write.
 */
export class QueueStore {
  constructor(readonly db: Database.Database) {}

  createBatch(name: string, provider: string | null = null): LocalBatch {
    flushProgress(this.db);
    const row: BatchRow = { id: randomUUID(), name, provider, created_at: now(), server_batch_id: null, file_count: 0 };
    this.db
      .prepare('INSERT INTO batches (id, name, provider, created_at) VALUES (?, ?, ?, ?)')
      .run(row.id, name, provider, row.created_at);
    return toLocalBatch(row);
  }

  getBatch(id: string): (LocalBatch & { provider: string | null }) | null {
    const r = this.db
      .prepare(
        'SELECT b.*, (SELECT count(*) FROM files f WHERE f.batch_id = b.id) AS file_count FROM batches b WHERE id = ?',
      )
      .get(id) as BatchRow | undefined;
    return r ? { ...toLocalBatch(r), provider: r.provider } : null;
  }

  listBatches(): LocalBatch[] {
    const rows = this.db
      .prepare(
        'SELECT b.*, (SELECT count(*) FROM files f WHERE f.batch_id = b.id) AS file_count FROM batches b ORDER BY created_at DESC',
      )
      .all() as BatchRow[];
    return rows.map(toLocalBatch);
  }

  setServerBatchId(batchId: string, serverBatchId: string): void {
    flushProgress(this.db);
    this.db.prepare('UPDATE batches SET server_batch_id = ? WHERE id = ?').run(serverBatchId, batchId);
  }

  /** Inserts in chunked transactions so a 10,000-file batch never holds the writer for long. */
  addFiles(batchId: string, files: readonly NewQueueFile[], state: QueueState = 'queued'): string[] {
    // Queue membership commits on its own with synchronous=FULL, never inside a progress group.
    flushProgress(this.db);
    const insert = this.db.prepare(
      `INSERT INTO files (id, batch_id, path, rel_path, file_name, size_bytes, mtime_ms, sha256, pages, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const ids: string[] = [];
    const insertChunk = this.db.transaction((chunk: readonly NewQueueFile[]) => {
      const t = now();
      for (const f of chunk) {
        const id = randomUUID();
        insert.run(id, batchId, f.path, f.relPath, f.fileName, f.sizeBytes, f.mtimeMs, f.sha256, f.pages, state, t, t);
        ids.push(id);
      }
    });
    for (let i = 0; i < files.length; i += INSERT_CHUNK) insertChunk(files.slice(i, i + INSERT_CHUNK));
    return ids;
  }

  getFile(id: string): FileRow | null {
    return (this.db.prepare('SELECT * FROM files WHERE id = ?').get(id) as FileRow | undefined) ?? null;
  }

  getItems(ids: readonly string[]): QueueItem[] {
    const out: QueueItem[] = [];
    const get = this.db.prepare('SELECT * FROM files WHERE id = ?');
    for (const id of ids) {
      const r = get.get(id) as FileRow | undefined;
      if (r) out.push(toQueueItem(r));
    }
    return out;
  }

  list(q: { offset: number; limit: number; state?: QueueState; batchId?: string }): {
    total: number;
    items: QueueItem[];
  } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.state) {
      where.push('state = ?');
      args.push(q.state);
    }
    if (q.batchId) {
      where.push('batch_id = ?');
      args.push(q.batchId);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM files ${w}`).get(...args) as { n: number }).n;
    const limit = Math.max(0, Math.min(q.limit, 1000));
    const rows = this.db
      .prepare(`SELECT * FROM files ${w} ORDER BY seq LIMIT ? OFFSET ?`)
      .all(...args, limit, Math.max(0, q.offset)) as FileRow[];
    return { total, items: rows.map(toQueueItem) };
  }

  /** Counts by state and byte totals (cancelled files count toward neither bytes figure). */
  counts(batchId?: string): {
    total: number;
    byState: Record<QueueState, number>;
    bytesTotal: number;
    bytesDone: number;
    extractionFailed: number;
  } {
    const byState = Object.fromEntries(QUEUE_STATES.map((s) => [s, 0])) as Record<QueueState, number>;
    const w = batchId ? 'WHERE batch_id = ?' : '';
    const rows = this.db
      .prepare(
        `SELECT state, count(*) AS n, sum(size_bytes) AS size, sum(CASE WHEN state IN ('uploaded','duplicate') THEN size_bytes ELSE bytes_sent END) AS done FROM files ${w} GROUP BY state`,
      )
      .all(...(batchId ? [batchId] : [])) as { state: QueueState; n: number; size: number; done: number }[];
    let total = 0,
      bytesTotal = 0,
      bytesDone = 0;
    for (const r of rows) {
      byState[r.state] = r.n;
      total += r.n;
      if (r.state === 'cancelled') continue;
      bytesTotal += r.size ?? 0;
      bytesDone += r.done ?? 0;
    }
    // Sent files whose document the server could not read: a coordinator counts them as failed.
    const failed = this.db
      .prepare(
        `SELECT count(*) AS n FROM files WHERE state IN ('uploaded', 'duplicate') AND document_status = 'failed'${batchId ? ' AND batch_id = ?' : ''}`,
      )
      .get(...(batchId ? [batchId] : [])) as { n: number };
    return { total, byState, bytesTotal, bytesDone, extractionFailed: failed.n };
  }

  /** Each batch's counts (as `counts(batchId)`), newest batch first, in three grouped reads. */
  batchFigures(): BatchQueueFigures[] {
    const rows = this.db
      .prepare(
        `SELECT batch_id, state, count(*) AS n, sum(size_bytes) AS size, sum(CASE WHEN state IN ('uploaded','duplicate') THEN size_bytes ELSE bytes_sent END) AS done FROM files GROUP BY batch_id, state`,
      )
      .all() as { batch_id: string; state: QueueState; n: number; size: number | null; done: number | null }[];
    const failed = new Map(
      (
        this.db
          .prepare(
            "SELECT batch_id, count(*) AS n FROM files WHERE state IN ('uploaded', 'duplicate') AND document_status = 'failed' GROUP BY batch_id",
          )
          .all() as { batch_id: string; n: number }[]
      ).map((r) => [r.batch_id, r.n]),
    );
    const batches = this.db
      .prepare('SELECT id, name, created_at FROM batches ORDER BY created_at DESC, rowid DESC')
      .all() as { id: string; name: string; created_at: string }[];
    const byBatch = new Map<string, BatchQueueFigures>();
    for (const b of batches) {
      const byState = Object.fromEntries(QUEUE_STATES.map((st) => [st, 0])) as Record<QueueState, number>;
      byBatch.set(b.id, {
        batchId: b.id,
        name: b.name,
        createdAt: b.created_at,
        total: 0,
        byState,
        extractionFailed: failed.get(b.id) ?? 0,
        bytesTotal: 0,
        bytesDone: 0,
      });
    }
    for (const r of rows) {
      const f = byBatch.get(r.batch_id);
      if (!f) continue;
      f.byState[r.state] = r.n;
      f.total += r.n;
      // Cancelled files are not part of what the batch will send (as in counts()).
      if (r.state === 'cancelled') continue;
      f.bytesTotal += r.size ?? 0;
      f.bytesDone += r.done ?? 0;
    }
    return [...byBatch.values()].filter((f) => f.total > 0);
  }

  /**
   * Whether a batch still has a file to send. Cheap: the unary + keeps SQLite off the batch
   * index (which would walk every finished file of the batch) and on the state index.
   */
  hasUnfinished(batchId: string): boolean {
    return !!this.db
      .prepare(
        "SELECT 1 FROM files WHERE state IN ('queued', 'uploading', 'completing', 'paused') AND +batch_id = ? LIMIT 1",
      )
      .get(batchId);
  }

  /**
   * Next files ready to upload, oldest first, minus those already being worked on. `afterSeq`: only
   * files queued after that one (the engine's cursor: without it every call re-read the files in
   * flight, up to 128 rows per finished file, ~2 s of a 5,000-file import).
   */
  nextQueued(limit: number, skip: ReadonlySet<string>, afterSeq = 0): Array<Pick<FileRow, 'id' | 'batch_id' | 'seq'>> {
    const rows = this.db
      .prepare("SELECT id, batch_id, seq FROM files WHERE state = 'queued' AND seq > ? ORDER BY seq LIMIT ?")
      .all(afterSeq, limit + skip.size) as Array<Pick<FileRow, 'id' | 'batch_id' | 'seq'>>;
    return rows.filter((r) => !skip.has(r.id)).slice(0, limit);
  }

  update(id: string, patch: FilePatch): void {
    // A no-op when this is a progress write's own part (updateProgress, PartStore's `also`).
    flushProgress(this.db);
    const sets: string[] = ['updated_at = ?'];
    const args: unknown[] = [now()];
    const col = (c: string, v: unknown): void => {
      sets.push(`${c} = ?`);
      args.push(v);
    };
    if (patch.state !== undefined) col('state', patch.state);
    if (patch.state === 'queued') this.countRequeue();
    if (patch.bytesSent !== undefined) col('bytes_sent', patch.bytesSent);
    if (patch.error !== undefined) {
      col('error_kind', patch.error?.kind ?? null);
      col('error_message', patch.error?.message ?? null);
    }
    if (patch.documentId !== undefined) col('document_id', patch.documentId);
    if (patch.documentStatus !== undefined) col('document_status', patch.documentStatus);
    if (patch.sizeBytes !== undefined) col('size_bytes', patch.sizeBytes);
    if (patch.mtimeMs !== undefined) col('mtime_ms', patch.mtimeMs);
    if (patch.sha256 !== undefined) col('sha256', patch.sha256);
    this.db.prepare(`UPDATE files SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
  }

  /** A transfer-state change made by the engine (see commitProgress for its durability). */
  updateProgress(id: string, patch: FilePatch): void {
    commitProgress(this.db, () => this.update(id, patch));
  }

  /** Moves every selected file currently in one of `from` to `to`, in one transaction; returns their ids. */
  transitionSelected(sel: QueueSelector, from: readonly QueueState[], to: QueueState, clearError = false): string[] {
    flushProgress(this.db);
    return this.db.transaction(() => {
      const ids = this.selectIds(sel, from);
      const stmt = this.db.prepare(
        `UPDATE files SET state = ?, updated_at = ?${clearError ? ', error_kind = NULL, error_message = NULL' : ''} WHERE id = ?`,
      );
      const t = now();
      for (const id of ids) stmt.run(to, t, id);
      if (to === 'queued' && ids.length > 0) this.countRequeue();
      return ids;
    })();
  }

  selectIds(sel: QueueSelector, states: readonly QueueState[]): string[] {
    const marks = states.map(() => '?').join(',');
    if (sel.fileIds) {
      const stmt = this.db.prepare(`SELECT id FROM files WHERE id = ? AND state IN (${marks})`);
      return sel.fileIds.filter((id) => stmt.get(id, ...states));
    }
    const w = sel.batchId ? 'AND batch_id = ?' : '';
    const rows = this.db
      .prepare(`SELECT id FROM files WHERE state IN (${marks}) ${w} ORDER BY seq`)
      .all(...states, ...(sel.batchId ? [sel.batchId] : [])) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** After a crash, files caught mid-transfer go back to the queue; their recorded parts stay. */
  requeueInterrupted(): number {
    flushProgress(this.db);
    const n = this.db
      .prepare("UPDATE files SET state = 'queued', updated_at = ? WHERE state IN ('uploading', 'completing')")
      .run(now()).changes;
    if (n > 0) this.countRequeue();
    return n;
  }

  /** Changes whenever a file already queued once is queued again (nextQueued's cursor starts over then). */
  requeueCount(): number {
    return requeues.get(this.db) ?? 0;
  }

  private countRequeue(): void {
    requeues.set(this.db, this.requeueCount() + 1);
  }

  /** Latest queue entry for each hash (to tell a scan what was imported before). */
  latestBySha256(sha256: string): FileRow | null {
    return (
      (this.db.prepare('SELECT * FROM files WHERE sha256 = ? ORDER BY seq DESC LIMIT 1').get(sha256) as
        FileRow | undefined) ?? null
    );
  }

  /** A hash already computed for this exact path, size and mtime (saves re-hashing on re-runs). */
  knownSha256(path: string, sizeBytes: number, mtimeMs: number): string | null {
    const r = this.db
      .prepare('SELECT sha256 FROM files WHERE path = ? AND size_bytes = ? AND mtime_ms = ? ORDER BY seq DESC LIMIT 1')
      .get(path, sizeBytes, mtimeMs) as { sha256: string } | undefined;
    return r?.sha256 ?? null;
  }
}
