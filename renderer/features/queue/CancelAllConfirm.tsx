/**
 * "Cancel all" throws away every unfinished upload: it asks first, saying how many files it
 * touches. Esc or "Keep uploading" closes it without doing anything.
 */
export function CancelAllConfirm({
  unfinished,
  onConfirm,
  onClose,
}: {
  unfinished: number;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <div
      className="confirm-bar"
      role="alertdialog"
      aria-labelledby="cancel-all-question"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <span id="cancel-all-question">
        Cancel {unfinished === 1 ? 'the 1 file' : `all ${unfinished} files`} not uploaded yet? Cancelled files can be
        retried later.
      </span>
      <button type="button" className="danger" onClick={onConfirm}>
        Cancel uploads
      </button>
      <button type="button" autoFocus onClick={onClose}>
        Keep uploading
      </button>
    </div>
  );
}
