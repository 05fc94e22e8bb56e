import type { ProviderPage } from '../../../common/providers-api';
import { formatDate, humanise } from '../../format';
import { credentialLabel, statusTone } from './provider-figures';
import { ReviewLink } from './ReviewLink';

/** The provider's credentials: the newest document of each, with the older ones below it. */
export function ProviderCredentials({ page }: { page: ProviderPage }) {
  return (
    <>
      <h2>Credentials</h2>
      {page.credentials.length === 0 ? (
        <p className="empty">No license, DEA or CSR document on file.</p>
      ) : (
        <table className="documents-table">
          <thead>
            <tr>
              <th scope="col">Credential</th>
              <th scope="col">Number</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">Document</th>
            </tr>
          </thead>
          <tbody>
            {page.credentials.flatMap(({ current, history }) => [
              <tr key={current.documentId}>
                <td>{credentialLabel(current.docType, current.state)}</td>
                <td>{current.number ?? '—'}</td>
                <td>{formatDate(current.expirationDate)}</td>
                <td>
                  <span className={`badge ${statusTone(current.status)}`}>{humanise(current.status)}</span>
                  {current.printedStatus && <span className="muted"> {current.printedStatus}</span>}
                </td>
                <td>
                  <ReviewLink documentId={current.documentId} />
                </td>
              </tr>,
              ...history.map((h) => (
                <tr key={h.documentId} className="muted">
                  <td>earlier</td>
                  <td>{h.number ?? '—'}</td>
                  <td>{formatDate(h.expirationDate)}</td>
                  <td>{humanise(h.status)}</td>
                  <td>
                    <ReviewLink documentId={h.documentId} />
                  </td>
                </tr>
              )),
            ])}
          </tbody>
        </table>
      )}
    </>
  );
}
