import type { AppDeps } from '../app-env';
import type { SessionPrincipal } from '../auth/sessions';
import { appendAudit } from '../audit/audit-log';
import { nextChangeSeq } from '../documents/change-seq';
import { derivedTextKeyFor } from '../storage/object-keys';
import { discardStored } from '../uploads/upload-rows';
import { getOwnBatch } from './batch-stats';

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
  const batch = getOwnBatch(db, who.orgId, batchId);
  const docs = db.prepare('SELECT id, object_key FROM documents WHERE batch_id = ?').all(batch.id) as Array<{
    id: string;
    object_key: string;
  }>;
  const open = db
    .prepare("SELECT object_key, s3_upload_id FROM uploads WHERE batch_id = ? AND state = 'open'")
    .all(batch.id) as Array<{ object_key: string; s3_upload_id: string }>;
  for (const u of open) await discardStored(store, u);
  // Deleting a key that was never written (a document not yet extracted) succeeds in S3.
  for (const d of docs) await Promise.all([store.remove(d.object_key), store.remove(derivedTextKeyFor(d.object_key))]);
  db.transaction(() => {
    const tombstone = db.prepare(
      'INSERT OR REPLACE INTO document_tombstones (document_id, org_id, change_seq, deleted_at) VALUES (?, ?, ?, ?)',
    );
    for (const d of docs) tombstone.run(d.id, who.orgId, nextChangeSeq(db), new Date().toISOString());
    db.prepare('DELETE FROM jobs WHERE document_id IN (SELECT id FROM documents WHERE batch_id = ?)').run(batch.id);
    db.prepare('DELETE FROM extractions WHERE document_id IN (SELECT id FROM documents WHERE batch_id = ?)').run(
      batch.id,
    );
    db.prepare('DELETE FROM documents WHERE batch_id = ?').run(batch.id);
    db.prepare('DELETE FROM uploads WHERE batch_id = ?').run(batch.id);
    db.prepare('DELETE FROM batches WHERE id = ?').run(batch.id);
    appendAudit(db, {
      orgId: who.orgId,
      actor: who.email,
      action: 'batch.deleted',
      details: { batchId: batch.id, documents: docs.length, objects: docs.length, openUploads: open.length },
    });
  }).immediate();
  return { documents: docs.length, objects: docs.length };
}
