import { useState } from 'react';
import { CME_TOPICS, type CmeTopic } from '../../../common/providers-api';
import type { CmeActivityView } from '../../../common/providers-api';
import type { PreloadApi } from '../../../preload/contract';
import { getApi } from '../../bridge/api';
import { humanise } from '../../format';
import { topicEvidence } from './RequirementBar';
import { useBusyAction } from './useProviderGrouping';

/** The one call the control makes: the activity's topics as the coordinator ticked them, in the rules' order. */
export function saveActivityTopics(
  api: PreloadApi,
  providerId: string,
  activityKey: string,
  ticked: ReadonlySet<CmeTopic>,
): Promise<void> {
  const topics = CME_TOPICS.filter((t) => ticked.has(t));
  return api.invoke('providers.setCmeTopics', { id: providerId, activityKey, topics });
}

/** Hands an activity back to the title reader: the coordinator's topics are removed (null). */
export function restoreTitleTopics(api: PreloadApi, providerId: string, activityKey: string): Promise<void> {
  return api.invoke('providers.setCmeTopics', { id: providerId, activityKey, topics: null });
}

const known = (topic: string): topic is CmeTopic => (CME_TOPICS as readonly string[]).includes(topic);

/**
 * A coordinator corrects the topic recognised from an activity's title: per activity, tick the
 * topics it covers and save, or say it covers none. The server audits it and the figures are
 * loaded again (`onChanged`), so the requirement bars show the effect at once.
 */
export function ActivityTopics({
  providerId,
  activities,
  onChanged,
  initiallyOpen = null,
}: {
  providerId: string;
  activities: readonly CmeActivityView[];
  onChanged: (message: string) => void;
  /** The key of an activity whose editor starts open (tests render markup without clicks). */
  initiallyOpen?: string | null;
}) {
  const [open, setOpen] = useState<string | null>(initiallyOpen);
  const { busy, error, run } = useBusyAction((m) => {
    setOpen(null);
    onChanged(m);
  });
  if (activities.length === 0) return null;
  const save = (a: CmeActivityView, ticked: ReadonlySet<CmeTopic>) =>
    run(async () => {
      await saveActivityTopics(getApi(), providerId, a.key, ticked);
      const title = a.title ?? '(untitled)';
      return ticked.size === 0
        ? `${title} now counts for no topic.`
        : `${title}: topics set to ${CME_TOPICS.filter((t) => ticked.has(t))
            .map(humanise)
            .join(', ')}.`;
    });
  const restore = (a: CmeActivityView) =>
    run(async () => {
      await restoreTitleTopics(getApi(), providerId, a.key);
      return `${a.title ?? '(untitled)'}: topics read from the title again.`;
    });
  return (
    <details className="card">
      <summary>Topics of each activity (correct by hand)</summary>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul>
        {activities.map((a) => (
          <li key={a.key}>
            {a.completionDate ?? 'undated'} · {a.title ?? '(untitled)'} ·{' '}
            <span className="muted">{a.topics.length > 0 ? `topic: ${topicEvidence(a)}` : 'no topic'}</span>{' '}
            <button
              type="button"
              className="link-button"
              aria-expanded={open === a.key}
              // Every activity has this button: its name says which one, for a screen reader's list of buttons.
              aria-label={`Set topics of ${a.title ?? 'the untitled activity'}`}
              onClick={() => setOpen(open === a.key ? null : a.key)}
            >
              Set topics
            </button>
            {a.topicsByHand && (
              <button
                type="button"
                className="link-button"
                disabled={busy}
                aria-label={`Use the title's topics for ${a.title ?? 'the untitled activity'}`}
                onClick={() => void restore(a)}
              >
                Use the title&apos;s topics
              </button>
            )}
            {open === a.key && <TopicPicker activity={a} busy={busy} onSave={(t) => void save(a, t)} />}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** The topic checkboxes of one activity, ticked as it stands; Save sends them, No topic sends none. */
function TopicPicker({
  activity,
  busy,
  onSave,
}: {
  activity: CmeActivityView;
  busy: boolean;
  onSave: (ticked: ReadonlySet<CmeTopic>) => void;
}) {
  const [ticked, setTicked] = useState<ReadonlySet<CmeTopic>>(
    () => new Set(activity.topics.map((t) => t.topic).filter(known)),
  );
  const toggle = (t: CmeTopic, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(t);
    else next.delete(t);
    setTicked(next);
  };
  return (
    <fieldset>
      <legend>Topics of {activity.title ?? 'this untitled activity'}</legend>
      {CME_TOPICS.map((t) => (
        <label key={t}>
          <input type="checkbox" checked={ticked.has(t)} onChange={(e) => toggle(t, e.target.checked)} />
          {humanise(t)}
        </label>
      ))}
      <div className="toolbar">
        <button type="button" disabled={busy} onClick={() => onSave(ticked)}>
          Save topics
        </button>
        <button type="button" disabled={busy} onClick={() => onSave(new Set())}>
          No topic
        </button>
      </div>
    </fieldset>
  );
}
