import crypto from 'node:crypto';
import type { CompleteUploadResponse, UploadedPart } from '../../common/api';
import { AppError } from '../../common/errors';
import type { AppDeps } from '../app-env';
import type { SessionPrincipal } from '../auth/sessions';
import { appendAudit } from '../audit/audit-log';
import { nowIso } from '../db/open';
import type { Unit } from '../db/units';
import { documentStatus, insertDocument, replaceDocumentFile, type ReplacedFile } from '../documents/document-store';
import { errorFields } from '../log';
import { derivedTextKeyFor } from '../storage/object-keys';
import { enqueueJob } from '../jobs/queue';
import { getOwnUpload, lockOwnUpload, isSinglePut, setUploadState, type UploadRow } from './upload-rows';

function* alreadyCompleted(upload: UploadRow): Unit<CompleteUploadResponse> {
  const doc = upload.document_id ? yield* documentStatus(upload.document_id) : null;
  if (!doc)
    throw new AppError('not_found', `Upload ${upload.id} was completed but its document has since been deleted.`);
  return { documentId: doc.id, status: doc.status };
}

/** The upload, or (completed already) its document's answer: what a complete starts from. */
function* uploadOrAnswer(orgId: string, uploadId: string): Unit<UploadRow | CompleteUploadResponse> {
  const upload = yield* getOwnUpload(orgId, uploadId);
  return upload.state === 'completed' ? yield* alreadyCompleted(upload) : upload;
}

function checkParts(upload: UploadRow, parts: UploadedPart[]): void {
  const numbers = new Set(parts.map((p) => p.partNumber));
  if (numbers.size !== parts.length)
    throw new AppError('invalid_input', 'A part number appears twice in the part list.');
  for (let n = 1; n <= upload.part_count; n++) {
    if (!numbers.has(n))
      throw new AppError(
        'invalid_input',
        `Part ${n} of ${upload.part_count} is missing from the part list; upload it, then complete again.`,
      );
  }
  if (numbers.size !== upload.part_count)
    throw new AppError('invalid_input', `This upload has ${upload.part_count} parts; the list names ${numbers.size}.`);
}

/** Attempts running, by organisation and upload id. */
const inFlight = new Map<string, Promise<CompleteUploadResponse>>();

/**
 * Completes the multipart upload, checks the stored size and SHA-256, then writes the document and its
 * extraction job in ONE transaction. Never waits on extraction. Completing a completed upload
 * answers the same document again (a client whose first answer was lost simply retries), and a
 * retry that arrives while the first complete is still running waits for that one's answer.
 */
export function completeUpload(
  deps: AppDeps,
  who: SessionPrincipal,
  uploadId: string,
  parts: UploadedPart[],
): Promise<CompleteUploadResponse> {
  // By organisation too: a request joins only an attempt of its own organisation, whose first read
  // (completeOnce's uploadOrAnswer) refused any other; another organisation's attempt at this id
  // (refused, on PostgreSQL after a round trip) is never the owner's answer (issue 17: the routes
  // no longer read the upload before this).
  const key = `${who.orgId}/${uploadId}`;
  const running = inFlight.get(key);
  if (running) return running;
  const attempt = completeOnce(deps, who, uploadId, parts).finally(() => inFlight.delete(key));
  inFlight.set(key, attempt);
  return attempt;
}

async function completeOnce(
  deps: AppDeps,
  who: SessionPrincipal,
  uploadId: string,
  parts: UploadedPart[],
): Promise<CompleteUploadResponse> {
  const { store } = deps;
  const upload = await deps.units.read(() => uploadOrAnswer(who.orgId, uploadId));
  if (!('state' in upload)) return upload;
  if (upload.state === 'aborted')
    throw new AppError('conflict', `Upload ${uploadId} was aborted; register the file again.`);
  checkParts(upload, parts);

  const t0 = performance.now();
  try {
    // A single PUT stored the object already: the size check below is its whole completion.
    if (!isSinglePut(upload)) await store.completeMultipart(upload.object_key, upload.s3_upload_id, parts);
  } catch (err) {
    // A concurrent complete of the same upload may have finished it first.
    const now = await deps.units.read(() => uploadOrAnswer(who.orgId, uploadId));
    if (!('state' in now)) return now;
    const code = (err as { name?: string }).name ?? '';
    if (code === 'InvalidPart' || code === 'InvalidPartOrder' || code === 'EntityTooSmall') {
      throw new AppError(
        'invalid_input',
        `The store refused the part list (${code}); re-send the listed parts and complete again.`,
        { cause: err },
      );
    }
    // The store has no such multipart upload any more, yet the whole object is at the upload's key:
    // an earlier complete assembled it and did not record it (its API process died before the
    // commit, or it still runs on another process). The checks below and the locked record finish
    // that work; otherwise the upload would stay open and every retry fail.
    if ((await store.size(upload.object_key)) !== upload.size_bytes) throw err;
    deps.log.info('upload.complete_found_assembled', { uploadId, storeError: code });
  }
  const t1 = performance.now();
  const stored = await store.size(upload.object_key);
  const t2 = performance.now();
  if (stored === null && isSinglePut(upload))
    throw new AppError('invalid_input', 'Part 1 was never stored; upload it, then complete again.');
  if (stored !== upload.size_bytes) {
    await store.remove(upload.object_key).catch(() => undefined);
    await abortCompleting(deps, upload.id);
    // Not the stored size: it would tell a client how large an object it cannot read is.
    throw new AppError(
      'invalid_input',
      `The stored object's size differs from the ${upload.size_bytes} bytes registered; register the file again.`,
    );
  }
  // Deduplication answers later registrations of this hash with this document: its bytes must be the ones declared.
  if ((await store.sha256(upload.object_key)) !== upload.sha256) {
    await store.remove(upload.object_key).catch(() => undefined);
    await abortCompleting(deps, upload.id);
    throw new AppError(
      'invalid_input',
      'The stored bytes do not match the SHA-256 registered for this file; check the file, then register it again.',
    );
  }

  const { result, replacedKey } = await deps.units.write(() =>
    recordCompletion(who, uploadId, deps.config.jobs.maxAttempts),
  );
  // After the commit: the replaced file and the text read from it belong to no document any more.
  if (replacedKey)
    await Promise.all([store.remove(replacedKey), store.remove(derivedTextKeyFor(replacedKey))]).catch((err: unknown) =>
      deps.log.warn('upload.replaced_object_not_removed', { uploadId, ...errorFields(err) }),
    );
  deps.wakeWorkers();
  deps.log.debug('upload.complete_steps', {
    uploadId,
    storeCompleteMs: Math.round(t1 - t0),
    headMs: Math.round(t2 - t1),
    commitMs: Math.round(performance.now() - t2),
  });
  return result;
}

/**
 * Seals an upload whose stored bytes failed the size or SHA-256 check (they were removed). Not
 * fsynced on its own, as when it was a plain statement on the handle: a lost abort leaves the
 * upload open, and its next complete fails the same check.
 */
async function abortCompleting(deps: AppDeps, uploadId: string): Promise<void> {
  await deps.units.write(() => setUploadState(uploadId, 'aborted'), { durable: false });
}

/**
 * The completion, one unit: a new document, or (an upload registered by replace-upload.ts) the
 * failed document's new file; its extraction job; the audit event.
 */
export function* recordCompletion(
  who: SessionPrincipal,
  uploadId: string,
  maxAttempts: number,
): Unit<{ result: CompleteUploadResponse; replacedKey: string | null }> {
  // Locked: two completes of one upload on two API processes must not both make a document.
  const current = yield* lockOwnUpload(who.orgId, uploadId);
  if (current.state === 'completed') return { result: yield* alreadyCompleted(current), replacedKey: null };
  // Aborted while this complete ran (a DELETE, or the sweep of abandoned uploads): its bytes are being removed.
  if (current.state === 'aborted')
    throw new AppError('conflict', `Upload ${uploadId} was aborted; register the file again.`);
  const file = {
    uploadId: current.id,
    fileName: current.file_name,
    sizeBytes: current.size_bytes,
    sha256: current.sha256,
    sha256VerifiedAt: nowIso(),
    objectKey: current.object_key,
  };
  let documentId: string;
  let replaced: ReplacedFile | null = null;
  if (current.document_id) {
    documentId = current.document_id;
    replaced = yield* replaceDocumentFile(who.orgId, documentId, file);
    // The old file's upload is sealed: its key is refused by the store from now on.
    if (replaced.upload_id) yield* setUploadState(replaced.upload_id, 'aborted');
  } else {
    documentId = crypto.randomUUID();
    yield* insertDocument({
      ...file,
      id: documentId,
      orgId: current.org_id,
      batchId: current.batch_id,
      provider: current.provider,
      relPath: current.rel_path,
    });
  }
  yield* setUploadState(current.id, 'completed', documentId);
  yield* enqueueJob(documentId, maxAttempts);
  yield* appendAudit({
    orgId: who.orgId,
    actor: who.email,
    action: replaced ? 'document.replaced' : 'document.uploaded',
    documentId,
    details: replaced
      ? { uploadId: current.id, sizeBytes: current.size_bytes, previousSha256: replaced.sha256, sha256: current.sha256 }
      : { uploadId: current.id, sizeBytes: current.size_bytes },
  });
  return { result: { documentId, status: 'uploaded' }, replacedKey: replaced?.object_key ?? null };
}
