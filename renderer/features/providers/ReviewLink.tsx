import { useApp } from '../../app/store-context';

/** Opens a document in the review screen. */
export function ReviewLink({ documentId }: { documentId: string }) {
  const openReview = useApp((s) => s.openReview);
  return (
    <button type="button" className="link-button" onClick={() => void openReview(documentId)}>
      Review
    </button>
  );
}
