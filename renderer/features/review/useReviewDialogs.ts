import { useState } from 'react';

/**
 * Which of the review screen's inline forms is open (reject, replace file, remove), and what has been
 * typed into them. Replacing and removing close when another document opens.
 */
export function useReviewDialogs(reviewId: string | null) {
  const [removing, setRemoving] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const [replacement, setReplacement] = useState('');
  /** Why the native file picker did not open (the typed form is offered instead). */
  const [pickError, setPickError] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');

  const [shownId, setShownId] = useState(reviewId);
  if (shownId !== reviewId) {
    setShownId(reviewId);
    setRemoving(false);
    setReplacing(false);
    setPickError(null);
  }

  return {
    removing,
    setRemoving,
    replacing,
    setReplacing,
    replacement,
    setReplacement,
    pickError,
    setPickError,
    rejecting,
    setRejecting,
    reason,
    setReason,
  };
}

export type ReviewDialogs = ReturnType<typeof useReviewDialogs>;
