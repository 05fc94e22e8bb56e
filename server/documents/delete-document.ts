import type { AppDeps } from '../app-env';
import type { SessionPrincipal } from '../auth/sessions';
import { appendAudit } from '../audit/audit-log';
import { nowIso } from '../db/open';
import { derivedTextKeyFor } from '../storage/object-keys';
import { nextChangeSeq } from './change-seq';
import { getOwnDocument } from './document-view';

/**
 * Deletes one document (its PDF, the text read from it, its extractions and jobs) with an audit
 * event, leaving a tombstone for the change feed. Objects go first: if the store fails, nothing
 * in the database is lost and the delete can be retried. Its upload stays, marked aborted, so the
 * store keeps refusing that key (a one-part upload's URL may still be within its lifetime).
 */
export async function deleteDocument(
  deps: Pick<AppDeps, 'db' | 'store'>,
  who: SessionPrincipal,
  documentId: string,
): Promise<void> {
  const { db, store } = deps;
  const doc = getOwnDocument(db, who.orgId, documentId);
  // Deleting a key that was never written (a document not yet extracted has no text) succeeds in S3.
  await Promise.all([store.remove(doc.object_key), store.remove(derivedTextKeyFor(doc.object_key))]);
  db.transaction(() => {
    const now = nowIso();
    db.prepare(
      'INSERT OR REPLACE INTO document_tombstones (document_id, org_id, change_seq, deleted_at) VALUES (?, ?, ?, ?)',
    ).run(doc.id, who.orgId, nextChangeSeq(db), now);
    db.prepare('DELETE FROM jobs WHERE document_id = ?').run(doc.id);
    db.prepare('DELETE FROM extractions WHERE document_id = ?').run(doc.id);
    db.prepare('DELETE FROM documents WHERE id = ?').run(doc.id);
    if (doc.upload_id)
      db.prepare("UPDATE uploads SET state = 'aborted', document_id = NULL, updated_at = ? WHERE id = ?").run(
        now,
        doc.upload_id,
      );
    appendAudit(db, {
      orgId: who.orgId,
      actor: who.email,
      action: 'document.deleted',
      documentId: doc.id,
      details: { batchId: doc.batch_id, status: doc.status, sizeBytes: doc.size_bytes },
    });
  }).immediate();
}
