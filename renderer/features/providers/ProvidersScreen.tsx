import { useEffect, useState } from 'react';
import type { ExpirationItem, ProviderListItem } from '../../../common/providers-api';
import { describeError } from '../../bridge/bridge-error';
import { getApi } from '../../bridge/api';
import { formatDate, humanise } from '../../format';
import { BUCKET_LABEL, credentialLabel, statusTone } from './provider-figures';
import { MatchesToConfirm } from './MatchesToConfirm';
import { ProviderPageView } from './ProviderPageView';
import { EXPIRATIONS_FILE, saveTextFile } from './save-file';

/** The organisation's providers with their credentials and CME, and what expires across them. */
export function ProvidersScreen() {
  const [providers, setProviders] = useState<ProviderListItem[] | null>(null);
  const [expirations, setExpirations] = useState<ExpirationItem[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [exporting, setExporting] = useState(false);

  const exportExpirations = async (format: 'csv' | 'ics') => {
    setExporting(true);
    try {
      const text = await getApi().invoke('providers.exportExpirations', { format });
      saveTextFile(text, EXPIRATIONS_FILE[format].name, EXPIRATIONS_FILE[format].type);
      setError(null);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setExporting(false);
    }
  };

  useEffect(() => {
    if (selected) return;
    let live = true;
    Promise.all([
      getApi().invoke('providers.list', undefined),
      getApi().invoke('providers.expirations', undefined),
    ]).then(
      ([p, e]) => {
        if (!live) return;
        setProviders(p);
        setExpirations(e);
      },
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, [selected, version]);

  if (selected)
    return <ProviderPageView key={selected} id={selected} onBack={() => setSelected(null)} onOpen={setSelected} />;
  return (
    <section className="screen" aria-labelledby="providers-heading">
      <h1 id="providers-heading">Providers</h1>
      {error && <p className="error">{error}</p>}
      {!providers && !error && <p className="loading">Loading…</p>}
      {providers?.length === 0 && (
        <p className="empty">No providers yet: they appear as imported documents finish extraction.</p>
      )}
      {providers && <MatchesToConfirm providers={providers} onDecided={() => setVersion((v) => v + 1)} />}
      {expirations.length > 0 && (
        <div className="card">
          <h2>Expirations</h2>
          <div className="toolbar">
            <button type="button" disabled={exporting} onClick={() => void exportExpirations('csv')}>
              Export CSV
            </button>{' '}
            <button type="button" disabled={exporting} onClick={() => void exportExpirations('ics')}>
              Export calendar (.ics)
            </button>
          </div>
          {(Object.keys(BUCKET_LABEL) as Array<ExpirationItem['bucket']>).map((bucket) => {
            const items = expirations.filter((e) => e.bucket === bucket);
            if (items.length === 0) return null;
            return (
              <div key={bucket}>
                <h3>{BUCKET_LABEL[bucket]}</h3>
                <ul>
                  {items.map((e) => (
                    <li key={e.documentId}>
                      <button type="button" className="link-button" onClick={() => setSelected(e.providerId)}>
                        {e.providerName}
                      </button>
                      : {credentialLabel(e.docType, e.state)} {e.number ?? ''}, {formatDate(e.expirationDate)}
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </div>
      )}
      {providers && providers.length > 0 && (
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
                  <button type="button" className="link-button" onClick={() => setSelected(p.id)}>
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
      )}
    </section>
  );
}
