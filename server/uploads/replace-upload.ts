/**
 * Another file for a failed document. The document keeps its id: the desktop mirror, the batch
 * and any link to it stay valid, and the change feed shows the same row going back to
 * `uploaded` (a new document would leave a failed row to delete and a new one to find).
 * The new file travels as an ordinary upload whose row names the document it replaces;
 * complete-upload.ts swaps the document's file in the transaction that queues its extraction.
 */
import type { RegisterUploadResponse, ReplaceDocumentRequest } from '../../common/api';
import { AppError } from '../../common/errors';
import type { AppDeps } from '../app-env';
import type { SessionPrincipal } from '../auth/sessions';
import { findVerifiedByHash } from '../documents/document-store';
import { getOwnDocument } from '../documents/document-view';
import { MAX_OBJECT_BYTES } from './part-plan';
import { asUploadOutcome, openUpload } from './register-upload';
import { abortIfOpen, discardStored, findOpenUpload, openReplacementsOf } from './upload-rows';

export async function registerReplacement(
  deps: AppDeps,
  who: SessionPrincipal,
  documentId: string,
  req: ReplaceDocumentRequest,
): Promise<{ status: 200 | 201; body: RegisterUploadResponse }> {
  const doc = await deps.units.read(() => getOwnDocument(who.orgId, documentId));
  if (doc.status !== 'failed')
    throw new AppError('conflict', `The document is ${doc.status}; only a failed document's file can be replaced.`);
  if (req.sizeBytes > MAX_OBJECT_BYTES)
    throw new AppError('too_large', `The file has ${req.sizeBytes} bytes; the limit is ${MAX_OBJECT_BYTES}.`);
  const duplicate = await deps.units.read(() => findVerifiedByHash(who.orgId, req.sha256));
  if (duplicate)
    throw new AppError(
      'conflict',
      `This file is already document ${duplicate.id}; remove the failed document instead of replacing it.`,
    );
  const open = await deps.units.read(() => findOpenUpload(who.orgId, req.sha256));
  if (open) {
    // The same replacement registered again (a client resuming): its upload, with fresh part URLs.
    if (open.document_id === doc.id && open.size_bytes === req.sizeBytes)
      return { status: 200, body: await asUploadOutcome(deps, open) };
    throw new AppError(
      'conflict',
      `An upload of this file is under way (${open.id}); finish or cancel it (DELETE /uploads/${open.id}) first.`,
    );
  }
  // An earlier replacement with another file, never completed: the user chose this one instead.
  // Each sealed first (only if still open), its stored bytes discarded only then.
  for (const stale of await deps.units.read(() => openReplacementsOf(doc.id))) {
    if (await deps.units.write(() => abortIfOpen(stale.id))) await discardStored(deps.store, stale);
  }
  return openUpload(deps, who, {
    fileName: req.fileName,
    sizeBytes: req.sizeBytes,
    sha256: req.sha256,
    batchId: doc.batch_id,
    provider: doc.provider,
    // The document keeps the relPath of its first upload (a replacement is sent from the review, not a folder).
    relPath: null,
    replacesDocumentId: doc.id,
  });
}
