import { useEffect, useState } from 'react';
import { useApp } from '../../app/store-context';
import type { DocumentDetail, DocumentMatch } from '../../../common/api';
import type { FlaggedMatch, ProviderListItem } from '../../../common/providers-api';
import { describeError } from '../../bridge/bridge-error';
import { getApi } from '../../bridge/api';
import { evidenceText, scoreText } from '../documents/match-label';

/**
 * The provider the open document is matched to: the name, the evidence ("NPI 1234567890",
 * "name only") and the score. A match that waits for a coordinator shows why, and lets them
 * confirm it or pick another provider (or none); a settled one can be changed too. Decisions go
 * through the server's coordinator action (PUT /providers/matches/:id, audited there).
 */
export function ProviderMatchPanel({ doc }: { doc: DocumentDetail }) {
  // A decision shows at once; the document's own match replaces it when the change feed brings it.
  const [decided, setDecided] = useState<{ for: DocumentMatch | null; name: string | null } | null>(null);
  const [changing, setChanging] = useState(false);
  const match = doc.match ?? null;
  const shown = decided && decided.for === match ? decided : null;
  if (!match)
    return (
      <section className="provider-match" aria-label="Provider match">
        <h2>Provider</h2>
        <p className="muted">Not matched to a provider yet: documents are matched once their extraction finishes.</p>
      </section>
    );
  const toDecide = !shown && (match.needsConfirmation || changing);
  return (
    <section className="provider-match" aria-label="Provider match">
      <h2>Provider</h2>
      {shown ? (
        <p role="status">
          {shown.name ? `Matched to ${shown.name}, confirmed.` : 'Marked as none of the providers, confirmed.'}
        </p>
      ) : (
        <MatchSummary doc={doc} match={match} />
      )}
      {toDecide && (
        <MatchDecision
          documentId={doc.id}
          match={match}
          onDecided={(name) => {
            setDecided({ for: match, name });
            setChanging(false);
          }}
        />
      )}
      {!toDecide && !shown && (
        <button type="button" className="link-button" onClick={() => setChanging(true)}>
          Change provider…
        </button>
      )}
    </section>
  );
}

function MatchSummary({ doc, match }: { doc: DocumentDetail; match: DocumentMatch }) {
  const openProvider = useApp((s) => s.openProvider);
  const name = match.providerId ? match.providerName : null;
  const providerId = match.providerId;
  if (!name && !match.needsConfirmation)
    return (
      <p className="muted">
        {match.evidence === 'manual'
          ? 'None of the providers: a coordinator decided so.'
          : 'Not matched to a provider (not a provider credential, or rejected in review).'}
      </p>
    );
  return (
    <>
      <p className={name ? 'match-provider' : 'match-provider muted'}>
        {name && providerId ? (
          // The provider's page: their credentials, CME and the other documents behind them.
          <button type="button" className="link-button" onClick={() => openProvider(providerId)}>
            {name}
          </button>
        ) : (
          'No provider chosen'
        )}
        {match.needsConfirmation && <span className="tag"> needs confirmation</span>}
      </p>
      <p className="muted">
        Matched on {evidenceText(match, doc)}, {scoreText(match)}
      </p>
    </>
  );
}

/** Why the match waits (its reasons, from the list of matches to confirm), and the coordinator's choice. */
function MatchDecision({
  documentId,
  match,
  onDecided,
}: {
  documentId: string;
  match: DocumentMatch;
  onDecided: (providerName: string | null) => void;
}) {
  const [providers, setProviders] = useState<ProviderListItem[]>([]);
  const [flagged, setFlagged] = useState<FlaggedMatch | null>(null);
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    const api = getApi();
    Promise.all([
      api.invoke('providers.list', undefined),
      match.needsConfirmation ? api.invoke('providers.toConfirm', undefined) : Promise.resolve([]),
    ]).then(
      ([list, toConfirm]) => {
        if (!live) return;
        setProviders(list);
        setFlagged(toConfirm.find((m) => m.documentId === documentId) ?? null);
      },
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, [documentId, match.needsConfirmation]);

  const decide = async (providerId: string | null) => {
    setBusy(true);
    setError(null);
    try {
      await getApi().invoke('providers.confirmMatch', { documentId, providerId });
      onDecided(providerId ? (providers.find((p) => p.id === providerId)?.name ?? match.providerName) : null);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="match-decision">
      {flagged && flagged.reasons.length > 0 && <p className="match-reasons">Why: {flagged.reasons.join('; ')}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <MatchChoices
        match={match}
        providers={providers}
        suggested={flagged?.candidates.map((c) => c.providerId) ?? []}
        other={other}
        setOther={setOther}
        busy={busy}
        decide={(id) => void decide(id)}
      />
    </div>
  );
}

function MatchChoices(p: {
  match: DocumentMatch;
  providers: readonly ProviderListItem[];
  suggested: readonly string[];
  other: string;
  setOther: (id: string) => void;
  busy: boolean;
  decide: (providerId: string | null) => void;
}) {
  const { match, providers, suggested, other, busy, decide } = p;
  // Candidates the matcher weighed first, then everyone else, each once.
  const ordered = [
    ...suggested.flatMap((id) => providers.filter((x) => x.id === id)),
    ...providers.filter((x) => !suggested.includes(x.id)),
  ].filter((x, i, all) => all.findIndex((y) => y.id === x.id) === i && x.id !== match.providerId);
  return (
    <div className="button-row">
      {match.providerId && match.providerName && (
        <button type="button" disabled={busy} onClick={() => decide(match.providerId)}>
          Confirm {match.providerName}
        </button>
      )}
      <label>
        Another provider
        <select value={other} onChange={(e) => p.setOther(e.target.value)}>
          <option value="">Choose…</option>
          {ordered.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
              {x.npi ? ` (NPI ${x.npi})` : ''}
              {suggested.includes(x.id) ? ' — suggested' : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={busy || !other} onClick={() => decide(other)}>
        Assign to this provider
      </button>
      <button type="button" disabled={busy} onClick={() => decide(null)}>
        None of them
      </button>
    </div>
  );
}
