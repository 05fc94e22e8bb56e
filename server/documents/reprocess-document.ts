import { AppError } from '../../common/errors';
import type { AppDeps } from '../app-env';
import { appendAuditOnHandle } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';
import { requeueDocument } from '../jobs/queue';
import { reprocessCandidates } from './document-store';
import type { DocumentRow } from './document-view';

/** Queues one document's extraction again (a failed one included), audited; conflict while one is queued or running. */
export function reprocessDocument(deps: Pick<AppDeps, 'db' | 'config'>, who: SessionPrincipal, doc: DocumentRow): void {
  const { db } = deps;
  const queued = db
    .transaction(() => {
      const ok = requeueDocument(db, doc.id, deps.config.jobs.maxAttempts);
      if (ok)
        appendAuditOnHandle(db, {
          orgId: who.orgId,
          actor: who.email,
          action: 'document.reprocess',
          documentId: doc.id,
          details: { from: doc.status },
        });
      return ok;
    })
    .immediate();
  if (!queued) throw new AppError('conflict', 'An extraction of this document is already queued or running.');
}

/** Queues extraction again for many documents of the organisation at once (see reprocessCandidates); the count queued. */
export function reprocessMany(
  deps: Pick<AppDeps, 'db' | 'config'>,
  who: SessionPrincipal,
  req: { scope: 'failed' | 'outdated'; includeReviewed: boolean },
  pipelineVersion: string,
): number {
  const { db } = deps;
  const ids = reprocessCandidates(db, who.orgId, req.scope, req.includeReviewed, pipelineVersion);
  const count = ids.filter((id) => requeueDocument(db, id, deps.config.jobs.maxAttempts)).length;
  appendAuditOnHandle(db, {
    orgId: who.orgId,
    actor: who.email,
    action: 'documents.reprocess',
    details: { scope: req.scope, includeReviewed: req.includeReviewed, queued: count, pipelineVersion },
  });
  return count;
}
