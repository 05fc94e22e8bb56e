import { useApp } from '../../app/store-context';
import type { ReviewDialogs } from './useReviewDialogs';

/** Asks for the reason before rejecting the document under review. */
export function RejectForm({ dialogs }: { dialogs: ReviewDialogs }) {
  const submit = useApp((s) => s.submitReview);
  const { reason, setReason, setRejecting } = dialogs;
  return (
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
  );
}

/** Asks for the path of a PDF to use instead of a failed document's file. */
export function ReplaceFileForm({ dialogs }: { dialogs: ReviewDialogs }) {
  const busy = useApp((s) => s.reviewBusy);
  const replaceFile = useApp((s) => s.replaceReviewFile);
  const { replacement, setReplacement, setReplacing } = dialogs;
  return (
    <form
      className="reject-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (replacement.trim())
          void replaceFile(replacement.trim()).then((ok) => ok && (setReplacing(false), setReplacement('')));
      }}
    >
      {dialogs.pickError && (
        <p className="error" role="alert">
          {dialogs.pickError}
        </p>
      )}
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
  );
}

/** An admin's confirmation before a document is removed from the server. */
export function RemoveDocumentDialog({ fileName, dialogs }: { fileName: string; dialogs: ReviewDialogs }) {
  const removeDocument = useApp((s) => s.removeReviewDocument);
  const { setRemoving } = dialogs;
  return (
    <div className="reject-form" role="alertdialog" aria-labelledby="remove-question">
      <p id="remove-question">
        Remove {fileName} from the server? Its file and results are deleted; the audit log keeps a record.
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
  );
}
