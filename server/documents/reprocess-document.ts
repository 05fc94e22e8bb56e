import { AppError } from '../../common/errors';
import type { AppDeps } from '../app-env';
import { appendAudit } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';
import type { Unit } from '../db/units';
import { requeueDocument } from '../jobs/queue';
import { reprocessCandidates } from './document-store';
import type { DocumentRow } from './document-view';

function* requeueAudited(who: SessionPrincipal, doc: DocumentRow, maxAttempts: number): Unit<boolean> {
  const ok = yield* requeueDocument(doc.id, maxAttempts);
  if (ok)
    yield* appendAudit({
      orgId: who.orgId,
      actor: who.email,
      action: 'document.reprocess',
      documentId: doc.id,
      details: { from: doc.status },
    });
  return ok;
}

/** Queues one document's extraction again (a failed one included), audited; conflict while one is queued or running. */
export async function reprocessDocument(
  deps: Pick<AppDeps, 'units' | 'config'>,
  who: SessionPrincipal,
  doc: DocumentRow,
): Promise<void> {
  const queued = await deps.units.write(() => requeueAudited(who, doc, deps.config.jobs.maxAttempts));
  if (!queued) throw new AppError('conflict', 'An extraction of this document is already queued or running.');
}

/** Queues extraction again for many documents of the organisation at once (see reprocessCandidates); the count queued. */
export function* reprocessMany(
  who: SessionPrincipal,
  req: { scope: 'failed' | 'outdated'; includeReviewed: boolean },
  pipelineVersion: string,
  maxAttempts: number,
): Unit<number> {
  const ids = yield* reprocessCandidates(who.orgId, req.scope, req.includeReviewed, pipelineVersion);
  let count = 0;
  for (const id of ids) if (yield* requeueDocument(id, maxAttempts)) count++;
  yield* appendAudit({
    orgId: who.orgId,
    actor: who.email,
    action: 'documents.reprocess',
    details: { scope: req.scope, includeReviewed: req.includeReviewed, queued: count, pipelineVersion },
  });
  return count;
}
