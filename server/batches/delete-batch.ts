import type { AppDeps } from '../app-env';
import type { SessionPrincipal } from '../auth/sessions';
import { appendAudit } from '../audit/audit-log';
import { documentsOfBatch, removeDocuments } from '../documents/document-store';
import { derivedTextKeyFor } from '../storage/object-keys';
import { deleteUploadsOfBatch, discardStored, openUploadsOfBatch } from '../uploads/upload-rows';
import { deleteBatchRow, getOwnBatch } from './batch-stats';

/**
 * Rolls a bulk import back: aborts its open uploads, deletes its objects (each PDF and the text
 * read from it), then removes its documents, extractions, jobs, uploads and the batch in one
 * transaction, with an audit event.
 * Objects go first: if the store fails, nothing in the database is lost and the delete can be retried.
 */
export async function deleteBatch(
  deps: AppDeps,
  who: SessionPrincipal,
  batchId: string,
): Promise<{ documents: number; objects: number }> {
  const { db, store } = deps;
  const batch = await getOwnBatch(db, who.orgId, batchId);
  const { docs, open } = await deps.units.read(function* () {
    return { docs: yield* documentsOfBatch(batch.id), open: yield* openUploadsOfBatch(batch.id) };
  });
  for (const u of open) await discardStored(store, u);
  // Deleting a key that was never written (a document not yet extracted) succeeds in S3.
  for (const d of docs) await Promise.all([store.remove(d.object_key), store.remove(derivedTextKeyFor(d.object_key))]);
  await deps.units.write(function* () {
    // Their extractions and jobs go with them (ON DELETE CASCADE).
    yield* removeDocuments(
      who.orgId,
      docs.map((d) => d.id),
    );
    yield* deleteUploadsOfBatch(batch.id);
    yield* deleteBatchRow(batch.id);
    yield* appendAudit({
      orgId: who.orgId,
      actor: who.email,
      action: 'batch.deleted',
      details: { batchId: batch.id, documents: docs.length, objects: docs.length, openUploads: open.length },
    });
  });
  return { documents: docs.length, objects: docs.length };
}
