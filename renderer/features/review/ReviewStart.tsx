import { useState } from 'react';
import { useApp, useAppStore } from '../../app/store-context';

/** The review screen before a document is open: a way to start with the documents waiting for review. */
export function ReviewStart() {
  const setQuery = useApp((s) => s.setDocumentQuery);
  const openReview = useApp((s) => s.openReview);
  const store = useAppStore();
  const [emptyNotice, setEmptyNotice] = useState<string | null>(null);
  const startWithPending = async () => {
    await setQuery({ status: 'review_pending', sort: 'updatedAt', direction: 'asc' });
    const first = store.getState().documents[0];
    if (first) await openReview(first.id);
    else setEmptyNotice('No documents are waiting for review.');
  };

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
