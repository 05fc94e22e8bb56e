import type { AppDeps } from '../app-env';
import type { SessionPrincipal } from '../auth/sessions';
import { appendAudit } from '../audit/audit-log';
import type { Unit } from '../db/units';
import { errorFields } from '../log';
import { derivedTextKeyFor } from '../storage/object-keys';
import { abortIfOpen, discardStored, openReplacementsOf, setUploadState, type UploadRow } from '../uploads/upload-rows';
import { removeDocuments } from './document-store';
import { getOwnDocument, type DocumentRow } from './document-view';

/** The database side of a delete, in one write: returns the open replacements it sealed. */
function* removeDocumentRows(who: SessionPrincipal, doc: DocumentRow): Unit<UploadRow[]> {
  // A replacement upload still open (replace-upload.ts) would complete onto no document: sealed with it.
  const sealed: UploadRow[] = [];
  for (const u of yield* openReplacementsOf(doc.id)) if (yield* abortIfOpen(u.id)) sealed.push(u);
  // Its extractions and jobs go with it (ON DELETE CASCADE).
  yield* removeDocuments(who.orgId, [doc.id]);
  if (doc.upload_id) yield* setUploadState(doc.upload_id, 'aborted');
  yield* appendAudit({
    orgId: who.orgId,
    actor: who.email,
    action: 'document.deleted',
    documentId: doc.id,
    details: { batchId: doc.batch_id, status: doc.status, sizeBytes: doc.size_bytes },
  });
  return sealed;
}

/**
 * Deletes one document (its PDF, the text read from it, its extractions and jobs) with an audit
 * event, leaving a tombstone for the change feed. Objects go first: if the store fails, nothing
 * in the database is lost and the delete can be retried. Its upload stays, marked aborted, so the
 * store keeps refusing that key (a one-part upload's URL may still be within its lifetime); an open
 * replacement of it is aborted too and its stored parts discarded.
 */
export async function deleteDocument(
  deps: Pick<AppDeps, 'units' | 'store' | 'log'>,
  who: SessionPrincipal,
  documentId: string,
): Promise<void> {
  const { units, store, log } = deps;
  const doc = await units.read(() => getOwnDocument(who.orgId, documentId));
  // Deleting a key that was never written (a document not yet extracted has no text) succeeds in S3.
  await Promise.all([store.remove(doc.object_key), store.remove(derivedTextKeyFor(doc.object_key))]);
  const replacements = await units.write(() => removeDocumentRows(who, doc));
  // After the commit: their parts, or single objects, belong to no upload any more.
  await Promise.all(replacements.map((u) => discardStored(store, u))).catch((err: unknown) =>
    log.warn('document.replacement_not_discarded', { documentId: doc.id, ...errorFields(err) }),
  );
}
