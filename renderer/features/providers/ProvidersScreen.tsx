import { useEffect, useState } from 'react';
import type { ExpirationItem, ProviderListItem } from '../../../common/providers-api';
import { useApp } from '../../app/store-context';
import { describeError } from '../../bridge/bridge-error';
import { getApi } from '../../bridge/api';
import { ExpirationsCard } from './ExpirationsCard';
import { MatchesToConfirm } from './MatchesToConfirm';
import { ProviderPageView } from './ProviderPageView';
import { ProvidersTable } from './ProvidersTable';

/** The organisation's providers with their credentials and CME, and what expires across them. */
export function ProvidersScreen() {
  const [providers, setProviders] = useState<ProviderListItem[] | null>(null);
  const [expirations, setExpirations] = useState<ExpirationItem[]>([]);
  // Kept in the store so a document's provider name (Documents table, review) opens the page, and
  // the page is still there on return from a review opened on it.
  const selected = useApp((s) => s.providerId);
  const setSelected = useApp((s) => s.openProvider);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

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
        <ExpirationsCard expirations={expirations} onSelect={setSelected} setError={setError} />
      )}
      {providers && providers.length > 0 && <ProvidersTable providers={providers} onSelect={setSelected} />}
    </section>
  );
}
