import type { DocumentListItem } from '../../../common/domain';
import { evidenceText, matchedProviderText, needsConfirmation, scoreText } from './match-label';

/**
 * The Documents table's Provider cell: the provider the server matched the document to, marked
 * "(confirm?)" when the match waits for a coordinator (the mark opens the review, where they
 * decide). Unmatched: the name the document prints, greyed, as it is no provider yet.
 */
export function ProviderCell({ doc, onConfirm }: { doc: DocumentListItem; onConfirm: () => void }) {
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
  if (match && name)
    return (
      <td className={match.needsConfirmation ? 'match-to-confirm' : undefined}>
        <span title={`Matched on ${evidenceText(match)}, ${scoreText(match)}`}>{name}</span>
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
