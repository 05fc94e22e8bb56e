import type { ProviderListItem } from '../../../common/providers-api';
import { humanise } from '../../format';
import { credentialLabel, statusTone } from './provider-figures';

/** Every provider with their credentials, CME credits and documents; a name opens the provider. */
export function ProvidersTable({
  providers,
  onSelect,
}: {
  providers: ProviderListItem[];
  onSelect: (id: string) => void;
}) {
  return (
    <table className="documents-table">
      <thead>
        <tr>
          <th scope="col">Provider</th>
          <th scope="col">NPI</th>
          <th scope="col">Credentials</th>
          <th scope="col">CME credits</th>
          <th scope="col">Documents</th>
        </tr>
      </thead>
      <tbody>
        {providers.map((p) => (
          <tr key={p.id}>
            <td>
              <button type="button" className="link-button" onClick={() => onSelect(p.id)}>
                {p.name}
              </button>
            </td>
            <td>{p.npi ?? '—'}</td>
            <td>
              {p.credentials.map((c) => (
                <span key={c.documentId} className={`badge ${statusTone(c.status)}`}>
                  {credentialLabel(c.docType, c.state)} {humanise(c.status)}
                </span>
              ))}
            </td>
            <td>{p.cme.totalCredits}</td>
            <td>
              {p.documents}
              {p.toConfirm > 0 && <span className="tag"> {p.toConfirm} to confirm</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
