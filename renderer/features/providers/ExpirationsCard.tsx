import { useState } from 'react';
import type { ExpirationItem } from '../../../common/providers-api';
import { describeError } from '../../bridge/bridge-error';
import { getApi } from '../../bridge/api';
import { formatDate } from '../../format';
import { BUCKET_LABEL, credentialLabel } from './provider-figures';
import { EXPIRATIONS_FILE, saveTextFile } from './save-file';

interface Props {
  expirations: ExpirationItem[];
  onSelect: (providerId: string) => void;
  setError: (error: string | null) => void;
}

/** What expires across the providers, by how soon, with its export as CSV or a calendar. */
export function ExpirationsCard({ expirations, onSelect, setError }: Props) {
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

  return (
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
                  <button type="button" className="link-button" onClick={() => onSelect(e.providerId)}>
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
  );
}
