import { setMaxListeners } from 'node:events';
import { AppError } from '../../../common/errors';
import type {
  CompleteUploadResponse,
  RegisterUploadRequest,
  RegisterUploadResponse,
  SignedPartUrl,
  UploadedPart,
} from '../../../common/api';
import type { PartRow, PartStore } from '../db/part-store';
import type { FileRow } from '../db/queue-rows';
import type { QueueStore } from '../db/queue-store';
import { HttpFailure } from '../http-failure';
import { PartUrlSigner } from './part-url-signer';
import { PRIORITY } from './priority-limiter';
import { putPart } from './put-part';
import { readPart, releasePart } from './read-part';
import type { RequestBatcher } from './request-batcher';
import { runRequest, type RequestRunnerDeps } from './request-runner';
import { relPathForServer } from './upload-rel-path';
import { verifyOnDisk } from './verify-on-disk';

/** Things the engine wants to hear about while a file moves. */
export type UploadNotice =
  | { type: 'item'; fileId: string }
  | { type: 'part-sent'; fileId: string; partNumber: number; bytes: number }
  | { type: 'resigned'; fileId: string; partNumber: number };

export interface FileUploadDeps extends RequestRunnerDeps {
  queue: QueueStore;
  parts: PartStore;
  /** The server batch (created on first use) and provider for a local batch. */
  serverBatch: (
    localBatchId: string,
    signal: AbortSignal,
  ) => Promise<{ serverBatchId: string | null; provider: string | null }>;
  /** Registers and completes go out in batches shared by every file (request-batcher.ts). */
  register: RequestBatcher<RegisterUploadRequest, RegisterUploadResponse>;
  complete: RequestBatcher<{ uploadId: string; parts: UploadedPart[] }, CompleteUploadResponse>;
  signedUrlMarginMs: number;
  beforePartSend?: (info: { fileId: string; partNumber: number }) => Promise<void>;
  notify: (n: UploadNotice) => void;
}

/**
 * One file's state machine: verify on disk → register (duplicate: done) → record the upload →
 * send the parts not yet recorded as stored (each checked against the queued size and mtime as it
 * is read, see read-part.ts) → complete. Throws on failure; the caller records it. Abort `signal`
 * to pause or cancel: recorded parts stay for the resume.
 */
export async function uploadFile(deps: FileUploadDeps, fileId: string, signal: AbortSignal): Promise<void> {
  for (let restart = 0; ; restart++) {
    try {
      await uploadOnce(deps, fileId, signal);
      return;
    } catch (err) {
      // The server no longer knows our upload (expired or aborted on its side): start it over once.
      const lost = err instanceof HttpFailure && err.status === 404;
      if (!lost || restart >= 1 || signal.aborted) throw err;
      deps.parts.dropUpload(fileId);
    }
  }
}

async function uploadOnce(deps: FileUploadDeps, fileId: string, signal: AbortSignal): Promise<void> {
  // The row as checked against the disk (checkDisk records a touched file's new mtime).
  const row = mustGet(deps, fileId);
  const file: FileRow = { ...row, mtime_ms: await checkDisk(deps, row, signal) };

  const { serverBatchId, provider } = await deps.serverBatch(file.batch_id, signal);
  const relPath = relPathForServer(file);
  const reg = await deps.register.call(
    {
      fileName: file.file_name,
      sizeBytes: file.size_bytes,
      sha256: file.sha256,
      ...(serverBatchId ? { batchId: serverBatchId } : {}),
      ...(provider ? { provider } : {}),
      ...(relPath ? { relPath } : {}),
    },
    signal,
  );
  if (reg.outcome === 'duplicate') {
    // Our own earlier complete went through but its answer was lost (crash, network): it is ours, uploaded.
    const ours = deps.parts.getUpload(fileId) !== null;
    signal.throwIfAborted();
    deps.parts.finishUpload(fileId, () =>
      deps.queue.updateProgress(fileId, {
        state: ours ? 'uploaded' : 'duplicate',
        documentId: reg.documentId,
        documentStatus: reg.status,
        bytesSent: ours ? file.size_bytes : 0,
      }),
    );
    deps.notify({ type: 'item', fileId });
    return;
  }

  // The file shows as uploading from here (queued while it waited for its register answer).
  signal.throwIfAborted();
  const begun = deps.parts.beginUpload(fileId, file.size_bytes, reg.uploadId, reg.partSizeBytes, reg.partCount, () =>
    deps.queue.update(fileId, { state: 'uploading', error: null }),
  );
  // A new upload has nothing stored yet; only a resumed one asks the store what it already holds.
  const parts = begun.resumed ? await mergeStoreParts(deps, fileId, reg.uploadId, begun.parts, signal) : begun.parts;
  deps.notify({ type: 'item', fileId });

  // The record of the last part sent also moves the file to `completing`.
  await sendPendingParts(deps, file, reg.uploadId, reg.partSizeBytes, parts, reg.urls ?? [], signal);
  if (parts.every((p) => p.state === 'done')) setState(deps, signal, fileId, { state: 'completing' });
  const done: UploadedPart[] = deps.parts
    .listParts(fileId)
    .map((p) => ({ partNumber: p.part_number, etag: p.etag as string, sizeBytes: p.size_bytes }));
  const res = await deps.complete.call({ uploadId: reg.uploadId, parts: done }, signal);
  // The document exists now: record it even if a pause arrived during the complete call.
  deps.parts.finishUpload(fileId, () =>
    deps.queue.updateProgress(fileId, {
      state: 'uploaded',
      documentId: res.documentId,
      documentStatus: res.status,
      bytesSent: file.size_bytes,
      error: null,
    }),
  );
  deps.notify({ type: 'item', fileId });
}

/** Where the store can list parts, trust it for parts our record lost (crash between PUT and commit). */
async function mergeStoreParts(
  deps: FileUploadDeps,
  fileId: string,
  uploadId: string,
  parts: PartRow[],
  signal: AbortSignal,
): Promise<PartRow[]> {
  if (parts.every((p) => p.state === 'done')) return parts;
  let listed;
  try {
    listed = await runRequest(deps, { priority: PRIORITY.finish, target: 'api', signal }, () =>
      deps.api.listParts(uploadId, signal),
    );
  } catch (err) {
    if (signal.aborted) throw err;
    return parts;
  }
  if (!listed.supported) return parts;
  const bySize = new Map(parts.map((p) => [p.part_number, p.size_bytes]));
  for (const sp of listed.parts) {
    const local = parts.find((p) => p.part_number === sp.partNumber);
    if (local && local.state !== 'done' && (sp.sizeBytes === undefined || sp.sizeBytes === bySize.get(sp.partNumber))) {
      deps.parts.markPartDone(fileId, sp.partNumber, sp.etag);
    }
  }
  return deps.parts.listParts(fileId);
}

async function sendPendingParts(
  deps: FileUploadDeps,
  file: FileRow,
  uploadId: string,
  partSize: number,
  parts: PartRow[],
  inlineUrls: SignedPartUrl[],
  signal: AbortSignal,
): Promise<void> {
  const pending = new Set(parts.filter((p) => p.state !== 'done').map((p) => p.part_number));
  if (pending.size === 0) return;
  const signer = new PartUrlSigner(
    deps,
    uploadId,
    () => [...pending].sort((a, b) => a - b),
    deps.signedUrlMarginMs,
    undefined,
    inlineUrls,
  );
  // A failing part aborts its siblings so the file fails (or pauses) as one.
  const siblings = new AbortController();
  const partSignal = AbortSignal.any([signal, siblings.signal]);
  setMaxListeners(0, partSignal);
  const expect = { sizeBytes: file.size_bytes, mtimeMs: file.mtime_ms };
  const sendOne = async (p: PartRow): Promise<void> => {
    let url = '';
    const etag = await runRequest(
      deps,
      {
        priority: PRIORITY.part,
        target: 'store',
        signal: partSignal,
        prepare: async () => {
          url = await signer.urlFor(p.part_number, partSignal);
        },
        onResign: () => {
          signer.invalidate(p.part_number);
          deps.notify({ type: 'resigned', fileId: file.id, partNumber: p.part_number });
        },
      },
      async () => {
        await deps.beforePartSend?.({ fileId: file.id, partNumber: p.part_number });
        const body = await readPart(file.path, (p.part_number - 1) * partSize, p.size_bytes, expect);
        try {
          return await putPart(url, body, partSignal);
        } finally {
          releasePart(body);
        }
      },
    );
    const last = pending.size === 1 && !partSignal.aborted;
    deps.parts.markPartDone(
      file.id,
      p.part_number,
      etag,
      last ? () => deps.queue.update(file.id, { state: 'completing' }) : undefined,
    );
    pending.delete(p.part_number);
    deps.notify({ type: 'part-sent', fileId: file.id, partNumber: p.part_number, bytes: p.size_bytes });
  };
  const results = await Promise.allSettled(
    parts
      .filter((p) => p.state !== 'done')
      .map((p) =>
        sendOne(p).catch((err: unknown) => {
          siblings.abort(err);
          throw err;
        }),
      ),
  );
  signal.throwIfAborted();
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw siblings.signal.aborted ? siblings.signal.reason : failed.reason;
}

/** Returns the file's mtime on disk now (recorded when it was only touched). */
async function checkDisk(deps: FileUploadDeps, file: FileRow, signal: AbortSignal): Promise<number> {
  const check = await verifyOnDisk(file, signal);
  if (!check.ok) throw check.error;
  if (check.mtimeMs !== file.mtime_ms) deps.queue.updateProgress(file.id, { mtimeMs: check.mtimeMs });
  return check.mtimeMs;
}

function mustGet(deps: FileUploadDeps, fileId: string): FileRow {
  const f = deps.queue.getFile(fileId);
  if (!f) throw new AppError('not_found', 'The file is no longer in the queue.');
  return f;
}

/** Never overwrites a pause or cancel that arrived while this step was awaiting. */
function setState(
  deps: FileUploadDeps,
  signal: AbortSignal,
  fileId: string,
  patch: Parameters<QueueStore['update']>[1],
): void {
  signal.throwIfAborted();
  deps.queue.updateProgress(fileId, patch);
  deps.notify({ type: 'item', fileId });
}
