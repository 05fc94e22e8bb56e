import { useApp } from '../../app/store-context';
import { useReplaceFile } from './useReplaceFile';
import { docTypeLabel, humanise } from '../../format';
import type { ReviewCommand } from './shortcuts';
import type { ReviewDialogs } from './useReviewDialogs';

interface Props {
  reviewable: boolean;
  run: (command: ReviewCommand) => void;
  dialogs: ReviewDialogs;
}

/** The review screen's title bar: the document's name and status, and the actions it can take. */
export function ReviewBar({ reviewable, run, dialogs }: Props) {
  const doc = useApp((s) => s.reviewDoc);
  const busy = useApp((s) => s.reviewBusy);
  const reprocess = useApp((s) => s.reprocessReview);
  const lastApproval = useApp((s) => s.lastApproval);
  const undoLastApproval = useApp((s) => s.undoLastApproval);
  const startReplace = useReplaceFile(dialogs);
  const isAdmin = useApp((s) => s.session?.signedIn === true && s.session.user.role === 'admin');

  return (
    <div className="review-bar">
      <h1 id="review-heading" className="review-title" title={doc?.fileName}>
        {doc?.fileName ?? 'Loading…'}
      </h1>
      {doc && (
        <span className={`badge status-${doc.status}`} data-testid="review-status">
          {humanise(doc.status)}
        </span>
      )}
      {doc?.docType && <span className="muted">{docTypeLabel(doc.docType)}</span>}
      <div className="button-row">
        <button type="button" onClick={() => run('previousDocument')}>
          ← Previous
        </button>
        <button type="button" onClick={() => run('nextDocument')}>
          Next →
        </button>
        {lastApproval && (
          <button type="button" disabled={busy} onClick={() => void undoLastApproval()}>
            Undo approval of {lastApproval.fileName}
          </button>
        )}
        {/* A failed document has nothing to review: it can be read again, or removed by an admin. */}
        {doc?.status === 'failed' && (
          <>
            <button type="button" className="primary" disabled={busy} onClick={() => void reprocess()}>
              Re-run extraction
            </button>
            <button type="button" disabled={busy} onClick={startReplace}>
              Replace file…
            </button>
            {isAdmin && (
              <button type="button" className="danger" disabled={busy} onClick={() => dialogs.setRemoving(true)}>
                Remove…
              </button>
            )}
          </>
        )}
        {reviewable && (
          <>
            <button type="button" disabled={busy} onClick={() => run('save')}>
              Save corrections
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => run('reject')}>
              Reject
            </button>
            <button type="button" className="primary" disabled={busy} onClick={() => run('approve')}>
              Approve
            </button>
          </>
        )}
      </div>
    </div>
  );
}
