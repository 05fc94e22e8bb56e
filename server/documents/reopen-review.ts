import type { ReopenRequest } from '../../common/api';
import { AppError } from '../../common/errors';
import { appendAudit } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';
import type { Unit } from '../db/units';
import { writeReview } from './document-store';
import { getOwnDocument } from './document-view';

/**
 * Undoes a decision: an approved or rejected document goes back to review_pending, its
 * corrections kept, its decision, reviewer and rejection reason cleared, with an audit event.
 * Only the reviewer who decided, or an admin, may. Runs inside the write transaction and reads
 * the row there, and writeReview checks the row is still as read, so two undos (or an undo and a
 * new review) cannot interleave on either database.
 */
export function* reopenReview(who: SessionPrincipal, documentId: string, req: ReopenRequest): Unit<void> {
  const doc = yield* getOwnDocument(who.orgId, documentId);
  if (doc.status !== 'approved' && doc.status !== 'rejected')
    throw new AppError('conflict', `The document is ${doc.status}; only an approved or rejected one can be reopened.`);
  if (who.role !== 'admin' && doc.reviewed_by !== who.email)
    throw new AppError('forbidden', 'Only the reviewer who decided this document, or an admin, may reopen it.');
  yield* writeReview(doc.id, doc.change_seq, {
    correctionsJson: doc.corrections_json,
    status: 'review_pending',
    failureReason: null,
    reviewedBy: null,
    reviewedAt: null,
    expirationDate: doc.expiration_date,
  });
  yield* appendAudit({
    orgId: who.orgId,
    actor: who.email,
    action: 'document.reopened',
    documentId: doc.id,
    details: {
      from: doc.status,
      to: 'review_pending',
      decidedBy: doc.reviewed_by,
      decidedAt: doc.reviewed_at,
      reason: req.reason ?? null,
    },
  });
}
