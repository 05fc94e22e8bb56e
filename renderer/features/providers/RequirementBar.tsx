import type { CmeActivityView, ComplianceRequirement } from '../../../common/providers-api';
import { useApp } from '../../app/store-context';
import { requirementPercent } from './provider-figures';

/** One requirement as a progress bar, with the activities that counted and one click to each document behind them. */
export function RequirementBar({
  requirement,
  activities,
  note,
}: {
  requirement: ComplianceRequirement;
  activities: readonly CmeActivityView[];
  note?: string;
}) {
  const openReview = useApp((s) => s.openReview);
  const counted = activities.filter((a) => requirement.activityKeys.includes(a.key));
  const target = requirement.required === null ? 'completion' : `${requirement.earned} of ${requirement.required} h`;
  return (
    <li className={requirement.met ? 'tone-ok' : 'tone-warn'}>
      <label>
        {requirement.label}: {target}
        {!requirement.met && requirement.shortfall > 0 && ` (${requirement.shortfall} h short)`}
        {note && <span className="muted"> {note}</span>}
        <progress max={100} value={requirementPercent(requirement)} />
      </label>
      {counted.length > 0 && (
        <details>
          <summary>
            {counted.length} activit{counted.length === 1 ? 'y' : 'ies'} counted
          </summary>
          <ul>
            {counted.map((a) => (
              <li key={a.key}>
                {a.completionDate ?? 'undated'} · {a.title ?? '(untitled)'} · {a.credits ?? 0} {a.creditType ?? ''}
                {a.sources.map((s) => (
                  <button
                    key={`${s.documentId}-${s.row ?? 0}`}
                    type="button"
                    className="link-button"
                    onClick={() => void openReview(s.documentId)}
                  >
                    {s.kind === 'transcript' ? `transcript row ${s.row ?? ''}` : 'certificate'}
                  </button>
                ))}
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}
