import type { LicenseCompliance } from '../../../common/providers-api';

/**
 * Where a state's rule comes from, and the entry's caveats beside it in plain text: where the
 * sources disagree or leave the rule open and how the figures above read it, so a coordinator
 * sees which figure rests on a reading before relying on it.
 */
export function RuleSource({ source }: { source: NonNullable<LicenseCompliance['source']> }) {
  return (
    <>
      <p className="hint">
        Source: {source.board}, {source.citation} ({source.url}), checked {source.checkedOn}.
      </p>
      {source.caveats.length > 0 && (
        <div className="hint">
          <strong>{source.caveats.length === 1 ? 'Caveat' : 'Caveats'}:</strong>
          <ul>
            {source.caveats.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
