import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApp, useAppStore } from '../../app/store-context';
import { docTypeLabel, humanise } from '../../format';
import { ApprovalConfirmDialog } from './ApprovalConfirmDialog';
import { FieldPanel } from './FieldPanel';
import { PdfViewer, type Highlight } from './PdfViewer';
import { REVIEWABLE_STATUSES, fieldLabel, orderReviewFields } from '../../review/review-fields';
import { REVIEW_SHORTCUTS, commandForKey, type ReviewCommand } from './shortcuts';

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export function ReviewScreen() {
  const doc = useApp((s) => s.reviewDoc);
  const pdf = useApp((s) => s.reviewPdf);
  const reviewId = useApp((s) => s.reviewId);
  const busy = useApp((s) => s.reviewBusy);
  const error = useApp((s) => s.reviewError);
  const notice = useApp((s) => s.reviewNotice);
  const selected = useApp((s) => s.selectedField);
  const stepDocument = useApp((s) => s.stepDocument);
  const stepField = useApp((s) => s.stepField);
  const submit = useApp((s) => s.submitReview);
  const requestApproval = useApp((s) => s.requestApproval);
  const concerns = useApp((s) => s.approvalConcerns);
  const setQuery = useApp((s) => s.setDocumentQuery);
  const openReview = useApp((s) => s.openReview);
  const [page, setPage] = useState(1);
  const [pages, setPages] = useState(1);
  const [zoom, setZoom] = useState(1);
  const [fitWidth, setFitWidth] = useState(true);
  const reprocess = useApp((s) => s.reprocessReview);
  const removeDocument = useApp((s) => s.removeReviewDocument);
  const lastApproval = useApp((s) => s.lastApproval);
  const undoLastApproval = useApp((s) => s.undoLastApproval);
  const isAdmin = useApp((s) => s.session?.signedIn === true && s.session.user.role === 'admin');
  const [removing, setRemoving] = useState(false);
  const replaceFile = useApp((s) => s.replaceReviewFile);
  const [replacing, setReplacing] = useState(false);
  const [replacement, setReplacement] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');

  const fields = useMemo(() => (doc ? orderReviewFields(doc) : []), [doc]);
  const field = fields.find((f) => f.name === selected) ?? null;
  const highlight: Highlight | null =
    field?.bbox && field.page ? { page: field.page, bbox: field.bbox, label: fieldLabel(field.name) } : null;

  const [shownId, setShownId] = useState(reviewId);
  if (shownId !== reviewId) {
    // A new document starts on its first page.
    setShownId(reviewId);
    setPage(1);
    setRemoving(false);
    setReplacing(false);
  }
  const [followedField, setFollowedField] = useState<string | null>(null);
  if (field && field.name !== followedField) {
    setFollowedField(field.name);
    if (field.page && field.page !== page) setPage(field.page);
  }

  const reviewable = !!doc && REVIEWABLE_STATUSES.has(doc.status);
  const run = useCallback(
    (command: ReviewCommand) => {
      // The keys of actions the document cannot take do nothing, as their buttons are not shown.
      if (!reviewable && (command === 'approve' || command === 'reject' || command === 'save')) return;
      switch (command) {
        case 'nextDocument':
          return void stepDocument(1);
        case 'previousDocument':
          return void stepDocument(-1);
        case 'nextField':
          return stepField(1);
        case 'previousField':
          return stepField(-1);
        case 'approve':
          return void requestApproval();
        case 'reject':
          return setRejecting(true);
        case 'save':
          return void submit();
        case 'zoomIn':
          setFitWidth(false);
          return setZoom((z) => ZOOMS.find((v) => v > z) ?? z);
        case 'zoomOut':
          setFitWidth(false);
          return setZoom((z) => [...ZOOMS].reverse().find((v) => v < z) ?? z);
        case 'fitWidth':
          return setFitWidth(true);
        case 'nextPage':
          return setPage((p) => Math.min(pages, p + 1));
        case 'previousPage':
          return setPage((p) => Math.max(1, p - 1));
      }
    },
    [stepDocument, stepField, submit, requestApproval, pages, reviewable],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = commandForKey({
        key: e.key,
        shiftKey: e.shiftKey,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        targetIsEditable: isEditable(e.target),
      });
      if (!command) return;
      e.preventDefault();
      run(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  const store = useAppStore();
  const [emptyNotice, setEmptyNotice] = useState<string | null>(null);
  const startWithPending = async () => {
    await setQuery({ status: 'review_pending', sort: 'updatedAt', direction: 'asc' });
    const first = store.getState().documents[0];
    if (first) await openReview(first.id);
    else setEmptyNotice('No documents are waiting for review.');
  };
  const onPageCount = useCallback((n: number) => setPages(n), []);

  if (!reviewId) {
    return (
      <section className="screen" aria-labelledby="review-heading">
        <h1 id="review-heading">Review</h1>
        <p>Open a document from the Documents screen, or start with the documents waiting for review.</p>
        <div className="button-row">
          <button type="button" className="primary" onClick={() => void startWithPending()}>
            Review waiting documents
          </button>
        </div>
        {emptyNotice && (
          <p className="notice" role="status">
            {emptyNotice}
          </p>
        )}
      </section>
    );
  }

  return (
    <section className="review-screen" aria-labelledby="review-heading">
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
              <button type="button" disabled={busy} onClick={() => setReplacing(true)}>
                Replace file…
              </button>
              {isAdmin && (
                <button type="button" className="danger" disabled={busy} onClick={() => setRemoving(true)}>
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
      {rejecting && (
        <form
          className="reject-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit('reject', reason.trim() || undefined).then((ok) => ok && setRejecting(false));
          }}
        >
          <label>
            Reason for rejecting
            <input type="text" value={reason} autoFocus onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" className="danger">
            Reject document
          </button>
          <button type="button" onClick={() => setRejecting(false)}>
            Keep
          </button>
        </form>
      )}
      {replacing && doc && (
        <form
          className="reject-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (replacement.trim())
              void replaceFile(replacement.trim()).then((ok) => ok && (setReplacing(false), setReplacement('')));
          }}
        >
          <label>
            Path of the PDF to use instead
            <input
              type="text"
              value={replacement}
              autoFocus
              spellCheck={false}
              placeholder="/home/me/credentials/license-fixed.pdf"
              onChange={(e) => setReplacement(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={busy || !replacement.trim()}>
            Replace and read again
          </button>
          <button type="button" onClick={() => setReplacing(false)}>
            Keep
          </button>
        </form>
      )}
      {removing && doc && (
        <div className="reject-form" role="alertdialog" aria-labelledby="remove-question">
          <p id="remove-question">
            Remove {doc.fileName} from the server? Its file and results are deleted; the audit log keeps a record.
          </p>
          <button
            type="button"
            className="danger"
            autoFocus
            onClick={() => void removeDocument().then(() => setRemoving(false))}
          >
            Remove document
          </button>
          <button type="button" onClick={() => setRemoving(false)}>
            Keep
          </button>
        </div>
      )}
      {concerns && <ApprovalConfirmDialog concerns={concerns} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {doc?.status === 'failed' && doc.failureReason && <p className="error">Processing failed: {doc.failureReason}</p>}
      <div className="review-body">
        <div className="review-pdf">
          <div className="pdf-toolbar" role="toolbar" aria-label="Page controls">
            <button type="button" disabled={page <= 1} onClick={() => run('previousPage')} aria-label="Previous page">
              ‹
            </button>
            <span>
              Page {page} of {pages}
            </span>
            <button type="button" disabled={page >= pages} onClick={() => run('nextPage')} aria-label="Next page">
              ›
            </button>
            <button type="button" onClick={() => run('zoomOut')} aria-label="Zoom out">
              −
            </button>
            {!fitWidth && <span aria-live="polite">{Math.round(zoom * 100)}%</span>}
            <button type="button" onClick={() => run('zoomIn')} aria-label="Zoom in">
              +
            </button>
            <button type="button" aria-pressed={fitWidth} onClick={() => run('fitWidth')}>
              Fit width
            </button>
          </div>
          {pdf ? (
            <PdfViewer
              bytes={pdf}
              highlight={highlight}
              zoom={zoom}
              fitWidth={fitWidth}
              page={page}
              onPageCount={onPageCount}
            />
          ) : (
            <p className="muted">{busy ? 'Loading document…' : ''}</p>
          )}
        </div>
        <aside className="review-fields" aria-label="Fields">
          {doc && !doc.extraction && <p className="muted">No extraction yet ({humanise(doc.status)}).</p>}
          <FieldPanel fields={fields} />
          <details className="shortcuts" open>
            <summary>Keyboard shortcuts</summary>
            <dl>
              {REVIEW_SHORTCUTS.filter(
                // The keys of actions this document cannot take are not listed (they do nothing).
                (s) => reviewable || !['approve', 'reject', 'save'].includes(s.command),
              ).map((s) => (
                <div key={s.command}>
                  <dt>
                    <kbd>{s.keyLabel}</kbd>
                  </dt>
                  <dd>{s.label}</dd>
                </div>
              ))}
            </dl>
          </details>
        </aside>
      </div>
    </section>
  );
}
