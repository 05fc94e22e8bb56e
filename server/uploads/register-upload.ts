/**
 * Registration of uploads: a file is answered as its organisation's existing document
 * (duplicate), its unfinished upload, or a new upload with its first part URLs.
 */
import crypto from 'node:crypto';
import {
  INLINE_PART_URLS,
  type RegisterUploadRequest,
  type RegisterUploadResponse,
  type SignedPartUrl,
} from '../../common/api';
import { AppError } from '../../common/errors';
import type { AppDeps } from '../app-env';
import type { SessionPrincipal } from '../auth/sessions';
import { getOwnBatch } from '../batches/batch-stats';
import type { Unit } from '../db/units';
import { findVerifiedByHash } from '../documents/document-store';
import { objectKeyFor } from '../storage/object-keys';
import { MAX_OBJECT_BYTES, partLength, planParts } from './part-plan';
import { normaliseRelPath } from './rel-path';
import { findOpenUpload, insertUpload, isSinglePut, SINGLE_PUT, type UploadRow } from './upload-rows';

type SignedUpload = Pick<UploadRow, 'object_key' | 's3_upload_id' | 'size_bytes' | 'part_size'>;

/** Presigned URLs for these parts of an upload (a single PUT's one part is a plain PUT URL). */
export function signPartUrls(
  deps: Pick<AppDeps, 'store' | 'config'>,
  u: SignedUpload,
  partNumbers: number[],
): Promise<SignedPartUrl[]> {
  const expirySeconds = deps.config.presignExpirySeconds;
  const expiresAt = new Date(Date.now() + expirySeconds * 1000).toISOString();
  const sign = (partNumber: number) => {
    const length = partLength(u.size_bytes, u.part_size, partNumber);
    return isSinglePut(u)
      ? deps.store.signPut(u.object_key, length, expirySeconds)
      : deps.store.signPart(u.object_key, u.s3_upload_id, partNumber, length, expirySeconds);
  };
  return Promise.all(partNumbers.map(async (partNumber) => ({ partNumber, url: await sign(partNumber), expiresAt })));
}

// The first parts' URLs ride along with the register answer: a small file then needs no sign call.
export async function asUploadOutcome(
  deps: Pick<AppDeps, 'store' | 'config'>,
  u: SignedUpload & Pick<UploadRow, 'id' | 'part_count'>,
): Promise<RegisterUploadResponse> {
  const first = Array.from({ length: Math.min(u.part_count, INLINE_PART_URLS) }, (_, i) => i + 1);
  return {
    outcome: 'upload',
    uploadId: u.id,
    partSizeBytes: u.part_size,
    partCount: u.part_count,
    mode: isSinglePut(u) ? 'single' : 'multipart',
    urls: await signPartUrls(deps, u, first),
  };
}

/** The organisation's document of this hash, or its unfinished upload of it, or null. */
function* findExisting(
  orgId: string,
  sha256: string,
  sizeBytes: number,
): Unit<RegisterUploadResponse | UploadRow | null> {
  // Only bytes checked against their declared hash, and never a failed document: a file
  // answered "duplicate" must already be there, whole and usable.
  const doc = yield* findVerifiedByHash(orgId, sha256);
  if (doc) return { outcome: 'duplicate', documentId: doc.id, status: doc.status };
  const open = yield* findOpenUpload(orgId, sha256);
  if (!open) return null;
  if (open.document_id)
    throw new AppError(
      'conflict',
      `An upload of this file is replacing document ${open.document_id}; finish or cancel it (DELETE /uploads/${open.id}) first.`,
    );
  if (open.size_bytes !== sizeBytes)
    throw new AppError(
      'conflict',
      `An unfinished upload of this SHA-256 was registered with ${open.size_bytes} bytes, not ${sizeBytes}; check the file.`,
    );
  return open;
}

function answerExisting(
  deps: Pick<AppDeps, 'store' | 'config'>,
  found: RegisterUploadResponse | UploadRow,
): Promise<RegisterUploadResponse> | RegisterUploadResponse {
  return 'outcome' in found ? found : asUploadOutcome(deps, found);
}

/** Registers one file: its existing document (duplicate), its unfinished upload, or a new upload (201). */
export async function registerUpload(
  deps: AppDeps,
  who: SessionPrincipal,
  req: RegisterUploadRequest,
  /** The batch's check (getOwnBatch): a batch call passes one that reads each batch once per call. */
  checkBatch: (batchId: string) => Promise<unknown> = (id) => getOwnBatch(deps.db, who.orgId, id),
): Promise<{ status: 200 | 201; body: RegisterUploadResponse }> {
  if (req.sizeBytes > MAX_OBJECT_BYTES)
    throw new AppError('too_large', `The file has ${req.sizeBytes} bytes; the limit is ${MAX_OBJECT_BYTES}.`);
  // Checked before anything else is looked up, so a bad path is refused even for a duplicate file.
  const relPath = normaliseRelPath(req.relPath);
  if (req.batchId) await checkBatch(req.batchId);
  const existing = await deps.units.read(() => findExisting(who.orgId, req.sha256, req.sizeBytes));
  if (existing) return { status: 200, body: await answerExisting(deps, existing) };

  return openUpload(deps, who, {
    fileName: req.fileName,
    sizeBytes: req.sizeBytes,
    sha256: req.sha256,
    batchId: req.batchId ?? null,
    provider: req.provider ?? null,
    relPath,
    replacesDocumentId: null,
  });
}

export interface NewUpload {
  fileName: string;
  sizeBytes: number;
  sha256: string;
  batchId: string | null;
  provider: string | null;
  /** The path below the imported folder, normalised (rel-path.ts); null when the client sent none. */
  relPath: string | null;
  /** A failed document this upload's file replaces on complete (kept in the row's document_id while open). */
  replacesDocumentId: string | null;
}

/** A new upload: its key, its part plan, its multipart upload on the store and its row (201). */
export async function openUpload(
  deps: AppDeps,
  who: SessionPrincipal,
  u: NewUpload,
): Promise<{ status: 200 | 201; body: RegisterUploadResponse }> {
  const { store } = deps;
  const id = crypto.randomUUID();
  const key = objectKeyFor(who.orgId, id);
  const plan = planParts(u.sizeBytes);
  const s3UploadId =
    plan.partCount === 1 && store.guardsCompletedObjects ? SINGLE_PUT : await store.createMultipart(key);
  const row = {
    id,
    org_id: who.orgId,
    batch_id: u.batchId,
    file_name: u.fileName,
    size_bytes: u.sizeBytes,
    sha256: u.sha256,
    provider: u.provider,
    rel_path: u.relPath,
    object_key: key,
    s3_upload_id: s3UploadId,
    part_size: plan.partSizeBytes,
    part_count: plan.partCount,
    created_by: who.userId,
    document_id: u.replacesDocumentId,
  };
  const dropMultipart = async () => {
    if (s3UploadId !== SINGLE_PUT) await store.abortMultipart(key, s3UploadId).catch(() => undefined);
  };
  let inserted: boolean;
  try {
    // Not fsynced on its own: losing it to a power cut costs the client one re-register (complete answers 404).
    inserted = await deps.units.write(() => insertUpload(row), { durable: false });
  } catch (err) {
    await dropMultipart();
    throw err;
  }
  if (!inserted) {
    // Lost a race with a concurrent register of the same hash: hand out the winner's upload.
    await dropMultipart();
    const winner = await deps.units.read(() => findExisting(who.orgId, u.sha256, u.sizeBytes));
    if (winner) return { status: 200, body: await answerExisting(deps, winner) };
    // The winner completed and its document failed, or was aborted, between the two statements.
    throw new AppError('unavailable', 'Another registration of this file changed state meanwhile; register it again.');
  }
  return { status: 201, body: await asUploadOutcome(deps, row) };
}
