import { useMemo } from 'react';
import { useApp } from '../../app/store-context';
import { humanise } from '../../format';
import { ApprovalConfirmDialog } from './ApprovalConfirmDialog';
import { FieldPanel } from './FieldPanel';
import { PdfToolbar } from './PdfToolbar';
import { PdfViewer, type Highlight } from './PdfViewer';
import { ProviderMatchPanel } from './ProviderMatchPanel';
import { ReviewBar } from './ReviewBar';
import { RejectForm, RemoveDocumentDialog, ReplaceFileForm } from './ReviewForms';
import { ReviewStart } from './ReviewStart';
import { ShortcutLegend } from './ShortcutLegend';
import { usePdfView } from './usePdfView';
import { useReviewDialogs } from './useReviewDialogs';
import { useReviewShortcuts } from './useReviewShortcuts';
import { REVIEWABLE_STATUSES, fieldLabel, orderReviewFields } from '../../review/review-fields';

export function ReviewScreen() {
  const doc = useApp((s) => s.reviewDoc);
  const pdf = useApp((s) => s.reviewPdf);
  const reviewId = useApp((s) => s.reviewId);
  const busy = useApp((s) => s.reviewBusy);
  const error = useApp((s) => s.reviewError);
  const notice = useApp((s) => s.reviewNotice);
  const selected = useApp((s) => s.selectedField);
  const concerns = useApp((s) => s.approvalConcerns);

  const fields = useMemo(() => (doc ? orderReviewFields(doc) : []), [doc]);
  const field = fields.find((f) => f.name === selected) ?? null;
  const highlight: Highlight | null =
    field?.bbox && field.page ? { page: field.page, bbox: field.bbox, label: fieldLabel(field.name) } : null;

  const view = usePdfView(reviewId, field?.name ?? null, field?.page ?? null);
  const dialogs = useReviewDialogs(reviewId);
  const reviewable = !!doc && REVIEWABLE_STATUSES.has(doc.status);
  const run = useReviewShortcuts(reviewable, view, dialogs.setRejecting);

  if (!reviewId) return <ReviewStart />;

  return (
    <section className="review-screen" aria-labelledby="review-heading">
      <ReviewBar reviewable={reviewable} run={run} dialogs={dialogs} />
      {dialogs.rejecting && <RejectForm dialogs={dialogs} />}
      {dialogs.replacing && doc && <ReplaceFileForm dialogs={dialogs} />}
      {dialogs.removing && doc && <RemoveDocumentDialog fileName={doc.fileName} dialogs={dialogs} />}
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
          <PdfToolbar view={view} run={run} />
          {pdf ? (
            <PdfViewer
              bytes={pdf}
              highlight={highlight}
              zoom={view.zoom}
              fitWidth={view.fitWidth}
              page={view.page}
              onPageCount={view.onPageCount}
            />
          ) : (
            <p className="muted">{busy ? 'Loading document…' : ''}</p>
          )}
        </div>
        <aside className="review-fields" aria-label="Fields">
          {doc && !doc.extraction && <p className="muted">No extraction yet ({humanise(doc.status)}).</p>}
          {doc?.extraction && <ProviderMatchPanel key={doc.id} doc={doc} />}
          <FieldPanel fields={fields} />
          <ShortcutLegend reviewable={reviewable} />
        </aside>
      </div>
    </section>
  );
}
