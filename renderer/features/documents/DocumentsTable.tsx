import { useState } from 'react';
import { useApp } from '../../app/store-context';
import { docTypeLabel, formatDate, humanise } from '../../format';
import { expiryState } from './expiry';
import { ProviderCell } from './ProviderCell';

/** The current page of documents, each opening in the review screen. */
export function DocumentsTable() {
  const docs = useApp((s) => s.documents);
  const loading = useApp((s) => s.documentsLoading);
  const openReview = useApp((s) => s.openReview);
  const [now] = useState(() => new Date());
  return (
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
              <ProviderCell doc={doc} onConfirm={() => void openReview(doc.id)} />
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
  );
}
