import { useCallback, useEffect } from 'react';
import { useApp } from '../../app/store-context';
import { commandForKey, type ReviewCommand } from './shortcuts';
import type { PdfView } from './usePdfView';

function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** The review screen's commands, run by its buttons and by the keys in shortcuts.ts. */
export function useReviewShortcuts(reviewable: boolean, view: PdfView, setRejecting: (open: boolean) => void) {
  const stepDocument = useApp((s) => s.stepDocument);
  const stepField = useApp((s) => s.stepField);
  const submit = useApp((s) => s.submitReview);
  const requestApproval = useApp((s) => s.requestApproval);
  const { zoomIn, zoomOut, fit, nextPage, previousPage } = view;

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
          return zoomIn();
        case 'zoomOut':
          return zoomOut();
        case 'fitWidth':
          return fit();
        case 'nextPage':
          return nextPage();
        case 'previousPage':
          return previousPage();
      }
    },
    [
      stepDocument,
      stepField,
      submit,
      requestApproval,
      reviewable,
      setRejecting,
      zoomIn,
      zoomOut,
      fit,
      nextPage,
      previousPage,
    ],
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

  return run;
}
