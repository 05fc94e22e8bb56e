/**
 * What a watched folder does with settled files, for both front ends: the import scan (%PDF-
 * sniff, SHA-256, pages, duplicates within the group) and the queue's rule for content seen before
 * (import-policy.ts), so a watch queues exactly what an import of the same files would, once.
 */
import { basename, relative, sep } from 'node:path';
import { checkLimits, type PreflightLimits } from '../../../common/pdf-preflight';
import type { QueueStore } from '../db/queue-store';
import { scanFolder, type ScannedFileDetail } from '../scan/scan-folder';
import { queueScanHooks, queueScanned, type QueuedFiles } from '../session/import-policy';
import { checkPdfs } from './pdf-check';

export interface WatchQueueReport {
  folder: string;
  batchId: string | null;
  /** Newly queued: relPath is relative to the watched folder. */
  queued: { relPath: string; fileId: string; sizeBytes: number }[];
  /** Content the queue already held (or a copy of another file in the same group). */
  alreadyQueued: string[];
  /** Not queued, with the reason (not a PDF, unreadable, empty, over a limit, encrypted, damaged, blank). */
  skipped: { relPath: string; reason: string }[];
}

/** What the server refuses (GET /limits); null fields: no such limit, or not known. */
export type ServerLimits = PreflightLimits;

/** Why the server would refuse this PDF by its limits, in the import preview's words, or null. */
function overLimit(f: ScannedFileDetail, limits: ServerLimits | null | undefined): string | null {
  return limits ? (checkLimits(f, limits)?.reason ?? null) : null;
}

function relTo(folder: string, path: string): string {
  const rel = relative(folder, path);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/**
 * The import preview's preflight for files no preview shows (pdf-check.ts): each new PDF opened
 * with pdf.js, and one the server could not read (encrypted, damaged, blank) left out with the
 * reason, as are its copies in the same group (they would be left out as its duplicates).
 */
async function leaveOutUnreadable(
  toCheck: ScannedFileDetail[],
  scanned: ScannedFileDetail[],
  limits: ServerLimits | null | undefined,
  signal: AbortSignal | undefined,
): Promise<ScannedFileDetail[]> {
  const reasons = await checkPdfs(toCheck, { maxPages: limits?.maxPages ?? null, signal });
  const byId = new Map<string, string>();
  for (const f of toCheck) {
    const reason = reasons.get(f.path);
    if (reason) byId.set(f.id, reason);
  }
  return scanned.map((f) => {
    const reason = byId.get(f.id) ?? (f.duplicateOf !== null ? byId.get(f.duplicateOf) : undefined);
    return reason && f.kind === 'pdf' ? { ...f, kind: 'skipped', skipReason: reason } : f;
  });
}

/**
 * Scans settled files of a watched folder and queues their new content as one batch (none when
 * nothing is new, e.g. a restart's first pass over a known folder); a PDF the server would refuse
 * by its limits, or could not read (pdf-check.ts), is left out with the reason (there is no preview
 * to include it anyway). Content
 * seen before is left as it is: a watch neither retries what failed nor resumes what the user paused or cancelled (its
 * plan holds no resumes or retries), it only adds what is new. `queued` is null when nothing was.
 * When `signal` aborts (the watch is closing) during the scan or the PDF check, this rejects and
 * nothing of the group is queued: the folder's next scan finds those files again.
 */
export async function queueWatchedFiles(
  store: QueueStore,
  folder: string,
  paths: readonly string[],
  opts: { startNow: boolean; signal?: AbortSignal; limits?: ServerLimits | null },
): Promise<{ queued: QueuedFiles | null; report: WatchQueueReport }> {
  const { files } = await scanFolder({ paths: [...paths] }, { signal: opts.signal, ...queueScanHooks(store) });
  const isNew = (f: ScannedFileDetail): boolean =>
    f.kind === 'pdf' && f.sha256 !== null && f.duplicateOf === null && store.latestBySha256(f.sha256) === null;
  const scanned = files.map((f): ScannedFileDetail => {
    const over = f.kind === 'pdf' ? overLimit(f, opts.limits) : null;
    return { ...f, relPath: relTo(folder, f.path), ...(over ? { kind: 'skipped', skipReason: over } : {}) };
  });
  const inFolder = await leaveOutUnreadable(scanned.filter(isNew), scanned, opts.limits, opts.signal);
  const report: WatchQueueReport = {
    folder,
    batchId: null,
    queued: [],
    alreadyQueued: inFolder.filter((f) => f.kind === 'pdf' && !isNew(f)).map((f) => f.relPath),
    skipped: inFolder
      .filter((f) => f.kind !== 'pdf')
      .map((f) => ({ relPath: f.relPath, reason: f.skipReason ?? 'skipped' })),
  };
  if (!inFolder.some(isNew)) return { queued: null, report };

  const queued = queueScanned(store, inFolder, {
    batchName: `Watched ${basename(folder)} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
    startNow: opts.startNow,
  });
  const byScanId = new Map(inFolder.map((f) => [f.id, f]));
  report.batchId = queued.result.batch.id;
  report.queued = queued.result.queued.map((q) => {
    const f = byScanId.get(q.scanFileId);
    return { relPath: f?.relPath ?? q.scanFileId, fileId: q.fileId, sizeBytes: f?.sizeBytes ?? 0 };
  });
  return { queued: { ...queued, plan: { done: queued.plan.done, resume: [], retry: [] } }, report };
}
