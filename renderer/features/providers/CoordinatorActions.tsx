import { useState } from 'react';
import type { ProviderPage } from '../../../common/providers-api';
import { getApi } from '../../bridge/api';
import { useBusyAction, useOtherProviders } from './useProviderGrouping';

/**
 * A coordinator's corrections to how documents were grouped: merge another provider into this one
 * (one person listed twice), or split chosen documents off into a new provider. Both audited on
 * the server; `onChanged` reloads the page, `onOpen` opens the provider a split created.
 */
export function CoordinatorActions({
  page,
  splitIds,
  onChanged,
  onOpen,
}: {
  page: ProviderPage;
  splitIds: readonly string[];
  onChanged: (message: string) => void;
  onOpen?: (id: string) => void;
}) {
  const { busy, error, setError, run } = useBusyAction(onChanged);
  const id = page.provider.id;
  const others = useOtherProviders(id, page, setError);
  const [mergeFrom, setMergeFrom] = useState('');
  const [newName, setNewName] = useState('');
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);

  const from = others.find((p) => p.id === mergeFrom);
  const merge = () =>
    run(async () => {
      await getApi().invoke('providers.merge', { id, from: mergeFrom });
      setMergeFrom('');
      return `${from?.name ?? 'The provider'} merged into ${page.provider.name}.`;
    });
  const split = () =>
    run(async () => {
      const name = newName.trim();
      const res = await getApi().invoke('providers.split', { id, documentIds: [...splitIds], name });
      setCreated({ id: res.id, name });
      setNewName('');
      return `${splitIds.length} document${splitIds.length === 1 ? '' : 's'} split off into ${name}.`;
    });

  return (
    <div className="card">
      <h2>Grouping</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="toolbar">
        <label>
          Same person as
          <select value={mergeFrom} onChange={(e) => setMergeFrom(e.target.value)}>
            <option value="">Choose a provider…</option>
            {others.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.npi ? ` (NPI ${p.npi})` : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy || !from} onClick={() => void merge()}>
          {from ? `Merge ${from.name} into ${page.provider.name}` : 'Merge'}
        </button>
      </div>
      <div className="toolbar">
        <label>
          New provider for the {splitIds.length} ticked document{splitIds.length === 1 ? '' : 's'}
          <input value={newName} onChange={(e) => setNewName(e.target.value)} placeholder="Given name and surname" />
        </label>
        <button
          type="button"
          disabled={busy || splitIds.length === 0 || newName.trim().length < 3}
          onClick={() => void split()}
        >
          Split off
        </button>
        {created && onOpen && (
          <button type="button" className="link-button" onClick={() => onOpen(created.id)}>
            Open {created.name}
          </button>
        )}
      </div>
    </div>
  );
}
