import { useCallback } from 'react';
import { useApp } from '../../app/store-context';
import { hasNativePickers } from '../../bridge/api';
import { describeError } from '../../bridge/bridge-error';
import type { ReviewDialogs } from './useReviewDialogs';

/**
 * "Replace file…" on a failed document. In the desktop app it opens the native file picker (one
 * PDF): main registers the chosen file as picked, so documents.replace may read it; a typed path
 * would be refused there unless it lies in a folder chosen this session. The store opens the picker
 * (pickReviewReplacement) and keeps the document Replace was chosen on. `npm run web` has no
 * picker: it opens the form that takes a typed path. A picker that fails falls back to that form.
 */
export function useReplaceFile(dialogs: ReviewDialogs): () => void {
  const pickReplacement = useApp((s) => s.pickReviewReplacement);
  const { setReplacing, setPickError } = dialogs;
  return useCallback(() => {
    if (!hasNativePickers()) {
      setReplacing(true);
      return;
    }
    setPickError(null);
    // The store takes the open document before the picker opens and replaces that one.
    pickReplacement().catch((err: unknown) => {
      setPickError(
        `The file picker did not open (${describeError(err)}). Type the path of a PDF in a folder you chose instead.`,
      );
      setReplacing(true);
    });
  }, [pickReplacement, setReplacing, setPickError]);
}
