import type { CmeActivityView, ComplianceRequirement } from '../../../common/providers-api';
import { useApp } from '../../app/store-context';
import { humanise } from '../../format';
import { requirementPercent } from './provider-figures';

/**
 * How an activity's topic was recognised, so a coordinator can check it: the words of the title
 * that matched, or that a coordinator set it.
 */
export function topicEvidence(a: Pick<CmeActivityView, 'topics'>): string {
  return a.topics
    .map((t) =>
      t.source === 'override'
        ? `${humanise(t.topic)} (set by a coordinator)`
        : `${humanise(t.topic)} ("${t.match ?? ''}" in the title)`,
    )
    .join(', ');
}

/** One requirement as a progress bar, with the activities that counted and one click to each document behind them. */
export function RequirementBar({
  requirement,
  activities,
  note,
  showTopics = false,
}: {
  requirement: ComplianceRequirement;
  activities: readonly CmeActivityView[];
  note?: string;
  /** A topic requirement: each counted activity says how its topic was recognised. */
  showTopics?: boolean;
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
                {showTopics && a.topics.length > 0 && <span className="muted"> · topic: {topicEvidence(a)}</span>}
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
