import type { DocumentDetail, ReviewRequest } from '../../common/api';
import { FIELDS_BY_DOC_TYPE } from '../../common/extraction';
import { AppError } from '../../common/errors';
import { appendAudit } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';
import { nowIso } from '../db/open';
import type { Unit } from '../db/units';
import { writeReview } from './document-store';
import { getOwnDocument } from './document-view';

const REVIEWABLE = new Set(['review_pending', 'approved', 'rejected']);
const DECIDED = new Set(['approved', 'rejected']);

/**
 * Corrections name only fields the document's type has: field names become CSV columns and UI
 * labels, so a made-up one (e.g. `=HYPERLINK(...)`) must never be stored.
 */
function checkFieldNames(docType: keyof typeof FIELDS_BY_DOC_TYPE, names: string[]): void {
  const allowed = FIELDS_BY_DOC_TYPE[docType];
  const unknown = names.filter((n) => !allowed.includes(n));
  if (unknown.length === 0) return;
  const shown = unknown
    .slice(0, 3)
    .map((n) => JSON.stringify(n.slice(0, 60)))
    .join(', ');
  const article = /^[aeiou]/.test(docType) ? 'An' : 'A';
  throw new AppError(
    'invalid_input',
    `${article} ${docType} document has no field ${shown}; correct only its fields: ${allowed.join(', ')}.`,
  );
}

/**
 * Applies a reviewer's corrections and decision with its audit event. Runs inside the write
 * transaction and reads the row there, so a review never overwrites a status that changed
 * between the request's arrival and its commit (e.g. a reprocess); on PostgreSQL, where a write
 * may commit between that read and this write, writeReview refuses it (conflict) instead.
 */
export function* applyReview(who: SessionPrincipal, documentId: string, req: ReviewRequest): Unit<void> {
  const doc = yield* getOwnDocument(who.orgId, documentId);
  if (!REVIEWABLE.has(doc.status))
    throw new AppError('conflict', `The document is ${doc.status}; it can be reviewed once extraction has finished.`);
  if (req.decision === 'reject' && !req.reason)
    throw new AppError('invalid_input', 'Give a reason when rejecting a document.');
  checkFieldNames(doc.doc_type ?? 'unknown', Object.keys(req.fields ?? {}));
  const at = nowIso();
  const corrections = JSON.parse(doc.corrections_json) as DocumentDetail['corrections'];
  for (const [field, value] of Object.entries(req.fields ?? {})) corrections[field] = { value, by: who.email, at };
  const status = req.decision === 'approve' ? 'approved' : req.decision === 'reject' ? 'rejected' : doc.status;
  // A corrected expiration date wins over the extracted one (the expiring-soon view reads this column).
  const corrected = corrections.expirationDate?.value;
  const expirationDate = corrections.expirationDate
    ? typeof corrected === 'string'
      ? corrected
      : null
    : doc.expiration_date;
  yield* writeReview(doc.id, doc.change_seq, {
    correctionsJson: JSON.stringify(corrections),
    status,
    failureReason: req.decision === 'reject' ? (req.reason ?? null) : null,
    // A correction without a decision leaves a decided document's decider in place: the export's
    // reviewedBy names who approved or rejected it, and only they (or an admin) may undo that.
    ...(req.decision || !DECIDED.has(doc.status)
      ? { reviewedBy: who.email, reviewedAt: at }
      : { reviewedBy: doc.reviewed_by, reviewedAt: doc.reviewed_at }),
    expirationDate,
  });
  yield* appendAudit({
    orgId: who.orgId,
    actor: who.email,
    action: 'document.reviewed',
    documentId: doc.id,
    details: {
      correctedFields: Object.keys(req.fields ?? {}),
      decision: req.decision ?? null,
      reason: req.reason ?? null,
      from: doc.status,
      to: status,
    },
  });
}
