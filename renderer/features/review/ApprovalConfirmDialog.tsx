import { useCallback, useEffect } from 'react';
import { useApp } from '../../app/store-context';
import type { ApprovalConcern } from '../../review/approval-concerns';

/**
 * Names what is doubtful about a document before it is approved. Enter approves anyway, Esc goes
 * back to the first named field (focused, so the reviewer can correct it at once).
 */
export function ApprovalConfirmDialog({ concerns }: { concerns: ApprovalConcern[] }) {
  const confirm = useApp((s) => s.confirmApproval);
  const cancel = useApp((s) => s.cancelApproval);

  const goBack = useCallback(() => {
    const field = concerns[0]?.field;
    cancel();
    // After the dialog has gone, so the focus lands in the field's edit box.
    if (field) requestAnimationFrame(() => document.getElementById(`field-${field}`)?.focus());
  }, [concerns, cancel]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Capture phase on window: runs before the review shortcuts, so no other key acts while open.
      e.stopPropagation();
      if (e.key === 'Enter') {
        // Also keeps Enter on the focused button from approving a second time through its click.
        e.preventDefault();
        void confirm();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        goBack();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [confirm, goBack]);

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="approve-confirm-title"
        aria-describedby="approve-confirm-list"
        data-testid="approve-confirm"
      >
        <h2 id="approve-confirm-title">
          Approve with {concerns.length === 1 ? 'this concern' : `these ${concerns.length} concerns`}?
        </h2>
        <ul id="approve-confirm-list">
          {concerns.map((c) => (
            <li key={`${c.field}:${c.message}`}>{c.message}</li>
          ))}
        </ul>
        <div className="button-row">
          <button type="button" className="primary" autoFocus onClick={() => void confirm()}>
            Approve anyway <kbd>Enter</kbd>
          </button>
          <button type="button" onClick={goBack}>
            Go back <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}
