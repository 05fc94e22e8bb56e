import { useApp } from '../../app/store-context';
import { DOCUMENTS_PAGE } from '../../store/documents-slice';

/** Previous and next page of the Documents list, and which rows are shown. */
export function DocumentsPager() {
  const docs = useApp((s) => s.documents);
  const total = useApp((s) => s.documentsTotal);
  const query = useApp((s) => s.documentQuery);
  const setQuery = useApp((s) => s.setDocumentQuery);
  const offset = query.offset ?? 0;
  return (
    <div className="pager">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => void setQuery({ offset: Math.max(0, offset - DOCUMENTS_PAGE) })}
      >
        Previous page
      </button>
      <span>
        {total === 0 ? 0 : offset + 1}–{Math.min(total, offset + docs.length)} of {total}
      </span>
      <button
        type="button"
        disabled={offset + docs.length >= total}
        onClick={() => void setQuery({ offset: offset + DOCUMENTS_PAGE })}
      >
        Next page
      </button>
    </div>
  );
}
