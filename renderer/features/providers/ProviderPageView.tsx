import { useState } from 'react';
import { CoordinatorActions } from './CoordinatorActions';
import { ProviderCme } from './ProviderCme';
import { ProviderCredentials } from './ProviderCredentials';
import { ProviderDocuments } from './ProviderDocuments';
import { useProviderPage } from './useProviderPage';

/** One provider: credentials (newest document wins, older kept), CME progress per license requirement, and every document behind them. */
export function ProviderPageView({
  id,
  onBack,
  onOpen,
}: {
  id: string;
  onBack: () => void;
  onOpen?: (id: string) => void;
}) {
  const { page, compliance, error, ticked, setTicked, reload } = useProviderPage(id);
  const [message, setMessage] = useState<string | null>(null);

  if (error) return <p className="error">{error}</p>;
  if (!page || !compliance) return <p className="loading">Loading…</p>;
  return (
    <section className="screen" aria-labelledby="provider-heading">
      <button type="button" className="link-button" onClick={onBack}>
        ← All providers
      </button>
      <h1 id="provider-heading">
        {page.provider.name}
        {page.provider.npi && <span className="muted"> NPI {page.provider.npi}</span>}
      </h1>
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}

      <ProviderCredentials page={page} />

      <ProviderCme
        page={page}
        compliance={compliance}
        onTopicsChanged={(m) => {
          setMessage(m);
          reload();
        }}
      />

      <ProviderDocuments page={page} ticked={ticked} setTicked={setTicked} />
      <CoordinatorActions
        page={page}
        splitIds={[...ticked]}
        onOpen={onOpen}
        onChanged={(m) => {
          setMessage(m);
          reload();
        }}
      />
    </section>
  );
}
