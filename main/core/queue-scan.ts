import type { LocalBatch, QueueState } from '../../common/domain';
import type { QueueStore } from './db/queue-store';
import type { ScannedFileDetail } from './scan/scan-folder';

export interface QueueScanOptions {
  batchName?: string;
  provider?: string;
  excludeFileIds?: readonly string[];
  /** `queued` starts at the next engine pump; `paused` waits for resume. */
  startNow?: boolean;
  /** Add to this batch instead of creating one (queueing a scan in chunks as it runs). */
  intoBatchId?: string;
}

export interface QueueScanResult {
  batch: LocalBatch;
  /** Scan file id → new queue file id. */
  queued: { scanFileId: string; fileId: string }[];
  /** PDFs whose content the queue already holds (imported before): their latest queue entry. */
  previous: { scanFileId: string; fileId: string; state: QueueState }[];
  /** PDFs left out: same content twice in this scan, or excluded by the user. */
  localDuplicates: { scanFileId: string; duplicateOf: string }[];
  excluded: string[];
}

/**
 * Queues a scan's PDFs as one local batch (works offline). Skipped entries, local duplicates and
 * exclusions are left out; content already in the queue is not queued twice, it is returned in
 * `previous` so the caller can retry it if it had failed.
 */
export function queueScan(
  store: QueueStore,
  files: readonly ScannedFileDetail[],
  opts: QueueScanOptions = {},
): QueueScanResult {
  const excluded = new Set(opts.excludeFileIds ?? []);
  const batchName = opts.batchName ?? `Import ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
  const toQueue: ScannedFileDetail[] = [];
  const previous: QueueScanResult['previous'] = [];
  const localDuplicates: QueueScanResult['localDuplicates'] = [];
  for (const f of files) {
    if (f.kind !== 'pdf' || !f.sha256) continue;
    if (excluded.has(f.id)) continue;
    if (f.duplicateOf) {
      localDuplicates.push({ scanFileId: f.id, duplicateOf: f.duplicateOf });
      continue;
    }
    const prior = store.latestBySha256(f.sha256);
    if (prior) previous.push({ scanFileId: f.id, fileId: prior.id, state: prior.state });
    else toQueue.push(f);
  }
  const existing = opts.intoBatchId ? store.getBatch(opts.intoBatchId) : null;
  const batch = existing ?? store.createBatch(batchName, opts.provider ?? null);
  const ids = store.addFiles(
    batch.id,
    toQueue.map((f) => ({
      path: f.path,
      relPath: f.relPath,
      fileName: f.path.split(/[\\/]/).pop() ?? f.relPath,
      sizeBytes: f.sizeBytes,
      mtimeMs: f.mtimeMs,
      sha256: f.sha256 as string,
      pages: f.pages,
    })),
    opts.startNow === false ? 'paused' : 'queued',
  );
  return {
    batch: { ...batch, fileCount: ids.length },
    queued: toQueue.map((f, i) => ({ scanFileId: f.id, fileId: ids[i] as string })),
    previous,
    localDuplicates,
    excluded: [...excluded],
  };
}
