import { useEffect, useState } from 'react';
import { DOCUMENT_STATUSES, type DocumentStatus } from '../../../common/api';
import { DOC_TYPES, type DocType } from '../../../common/extraction';
import type { DocumentQuery } from '../../../preload/contract';
import { useApp } from '../../app/store-context';
import { docTypeLabel, formatDate, humanise } from '../../format';
import { DOCUMENTS_PAGE } from '../../store/documents-slice';
import { EXPIRY_WINDOW_DAYS, expiryState } from './expiry';

const SORTS: Array<{ value: NonNullable<DocumentQuery['sort']>; label: string }> = [
  { value: 'updatedAt', label: 'Last change' },
  { value: 'fileName', label: 'File name' },
  { value: 'expirationDate', label: 'Expiration date' },
  { value: 'status', label: 'Status' },
];

export function DocumentsScreen() {
  const docs = useApp((s) => s.documents);
  const total = useApp((s) => s.documentsTotal);
  const query = useApp((s) => s.documentQuery);
  const setQuery = useApp((s) => s.setDocumentQuery);
  const load = useApp((s) => s.loadDocuments);
  const error = useApp((s) => s.documentsError);
  const loading = useApp((s) => s.documentsLoading);
  const openReview = useApp((s) => s.openReview);
  const [search, setSearch] = useState(query.search ?? '');
  const [now] = useState(() => new Date());

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if ((query.search ?? '') === search) return;
    const timer = setTimeout(() => void setQuery({ search: search || undefined }), 250);
    return () => clearTimeout(timer);
  }, [search, query.search, setQuery]);

  const offset = query.offset ?? 0;
  return (
    <section className="screen" aria-labelledby="documents-heading">
      <h1 id="documents-heading">Documents</h1>
      <div className="toolbar filters">
        <label>
          Search
          <input
            type="search"
            value={search}
            placeholder="File, name, DEA/license/NPI number, activity…"
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label>
          Status
          <select
            value={query.status ?? ''}
            onChange={(e) => void setQuery({ status: (e.target.value || undefined) as DocumentStatus | undefined })}
          >
            <option value="">Any</option>
            {DOCUMENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanise(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Type
          <select
            value={query.docType ?? ''}
            onChange={(e) => void setQuery({ docType: (e.target.value || undefined) as DocType | undefined })}
          >
            <option value="">Any</option>
            {DOC_TYPES.map((t) => (
              <option key={t} value={t}>
                {docTypeLabel(t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort by
          <select
            value={query.sort ?? 'updatedAt'}
            onChange={(e) => void setQuery({ sort: e.target.value as DocumentQuery['sort'] })}
          >
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        {/* The button says what it does (its visible text is its name, as speech input expects). */}
        <button type="button" onClick={() => void setQuery({ direction: query.direction === 'asc' ? 'desc' : 'asc' })}>
          <span aria-hidden="true">{query.direction === 'asc' ? '↓ ' : '↑ '}</span>
          {query.direction === 'asc' ? 'Sort descending' : 'Sort ascending'}
        </button>
        <label className="checkbox-label">
          <input
            type="checkbox"
            checked={query.expiringWithinDays !== undefined}
            onChange={(e) => void setQuery({ expiringWithinDays: e.target.checked ? EXPIRY_WINDOW_DAYS : undefined })}
          />
          Expiring within {EXPIRY_WINDOW_DAYS} days
        </label>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="documents-table" aria-busy={loading}>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Status</th>
            <th scope="col">Type</th>
            <th scope="col">Provider</th>
            <th scope="col">Expires</th>
            <th scope="col">Lowest confidence</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {docs.map((doc) => {
            const expiry = expiryState(doc, now);
            return (
              <tr key={doc.id} className={expiry ? `expiry-${expiry}` : undefined} data-status={doc.status}>
                <td>
                  <button type="button" className="link-button" onClick={() => void openReview(doc.id)}>
                    {doc.fileName}
                  </button>
                </td>
                <td>
                  <span className={`badge status-${doc.status}`}>{humanise(doc.status)}</span>
                  {doc.failureReason && <span className="failure-reason">{doc.failureReason}</span>}
                </td>
                <td>{docTypeLabel(doc.docType)}</td>
                {/* Until providers are matched on the server, the person the credential names stands in. */}
                <td>{doc.provider ?? doc.personName ?? '—'}</td>
                <td>
                  {formatDate(doc.expirationDate)}
                  {expiry === 'soon' && <span className="expiry-flag"> Expires soon</span>}
                  {expiry === 'expired' && <span className="expiry-flag"> Expired</span>}
                </td>
                <td>{doc.minConfidence === null ? '—' : `${Math.round(doc.minConfidence * 100)}%`}</td>
                <td>{formatDate(doc.updatedAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {docs.length === 0 && !loading && <p className="empty">No documents match.</p>}
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
    </section>
  );
}
