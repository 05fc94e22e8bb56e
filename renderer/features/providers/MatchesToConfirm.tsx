import { useEffect, useState } from 'react';
import type { FlaggedMatch, ProviderListItem } from '../../../common/providers-api';
import { describeError } from '../../bridge/bridge-error';
import { getApi } from '../../bridge/api';
import { FlaggedMatchItem } from './FlaggedMatchItem';

/**
 * Documents whose match is weak, ambiguous or contradicted, for the coordinator to decide: one
 * of the candidates, or none of them. Until then they count in no provider's figures.
 */
export function MatchesToConfirm({
  providers,
  onDecided,
}: {
  providers: readonly ProviderListItem[];
  onDecided: () => void;
}) {
  const [matches, setMatches] = useState<FlaggedMatch[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    getApi()
      .invoke('providers.toConfirm', undefined)
      .then(
        (m) => live && setMatches(m),
        (err: unknown) => live && setError(describeError(err)),
      );
    return () => {
      live = false;
    };
  }, [version]);

  const nameOf = (id: string) => providers.find((p) => p.id === id)?.name ?? id;
  const decide = async (documentId: string, providerId: string | null) => {
    try {
      await getApi().invoke('providers.confirmMatch', { documentId, providerId });
      setVersion((v) => v + 1);
      onDecided();
    } catch (err) {
      setError(describeError(err));
    }
  };

  if (matches.length === 0 && !error) return null;
  return (
    <div className="card">
      <h2>To confirm</h2>
      {error && <p className="error">{error}</p>}
      <ul>
        {matches.map((m) => (
          <FlaggedMatchItem key={m.documentId} match={m} nameOf={nameOf} decide={(d, p) => void decide(d, p)} />
        ))}
      </ul>
    </div>
  );
}
