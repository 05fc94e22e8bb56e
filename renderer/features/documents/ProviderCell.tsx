import type { DocumentListItem } from '../../../common/domain';
import { useApp } from '../../app/store-context';
import { evidenceText, matchedProviderText, needsConfirmation, scoreText } from './match-label';

/**
 * The Documents table's Provider cell: the provider the server matched the document to, marked
 * "(confirm?)" when the match waits for a coordinator (the mark opens the review, where they
 * decide); the provider's name opens their page. Unmatched: the name the document prints, greyed,
 * as it is no provider yet.
 */
export function ProviderCell({ doc, onConfirm }: { doc: DocumentListItem; onConfirm: () => void }) {
  const openProvider = useApp((s) => s.openProvider);
  const match = doc.match ?? null;
  const name = matchedProviderText(match);
  const confirm = needsConfirmation(match) && (
    <>
      {' '}
      <button type="button" className="link-button match-confirm" onClick={onConfirm}>
        (confirm?)
      </button>
    </>
  );
  const providerId = match?.providerId ?? null;
  if (match && name && providerId)
    return (
      <td className={match.needsConfirmation ? 'match-to-confirm' : undefined}>
        <button
          type="button"
          className="link-button"
          title={`Matched on ${evidenceText(match)}, ${scoreText(match)}`}
          onClick={() => openProvider(providerId)}
        >
          {name}
        </button>
        {confirm}
      </td>
    );
  const printed = doc.personName ?? doc.provider;
  return (
    <td>
      <span className="unmatched" title="Not matched to a provider">
        {printed ?? '—'}
      </span>
      {confirm}
    </td>
  );
}
