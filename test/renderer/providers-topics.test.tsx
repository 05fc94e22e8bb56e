/**
 * Issue 18 item 4: a coordinator corrects the topic recognised from an activity's title. The
 * control on the provider's CME card lists each activity with how its topic was recognised, opens
 * labelled checkboxes of the rules' topics ticked as it stands, and sends one contract call
 * (providers.setCmeTopics) that the channel's own schema accepts. Activities come from the real
 * title reader through the wire schema; components are server-rendered with React.
 */
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CHANNEL_ARGS } from '../../common/ipc';
import { ComplianceAnswer, ProviderPage } from '../../common/providers-api';
import { StoreProvider } from '../../renderer/app/store-context';
import {
  ActivityTopics,
  restoreTitleTopics,
  saveActivityTopics,
} from '../../renderer/features/providers/ActivityTopics';
import { ProviderCme } from '../../renderer/features/providers/ProviderCme';
import { createAppStore } from '../../renderer/store/app-store';
import { collectActivities } from '../../server/compliance/cme-activities';
import { TOPICS } from '../../server/compliance/rule-types';
import { createFakeApi } from './fake-api';

function render(part: ReactNode): string {
  return renderToStaticMarkup(<StoreProvider store={createAppStore(createFakeApi({}).api)}>{part}</StoreProvider>);
}

const cert = (id: string, activityTitle: string) => ({
  id,
  docType: 'cme_certificate',
  fields: { completionDate: '2026-03-01', credits: 2, creditType: 'AMA_PRA_1', activityTitle },
});
const activities = ComplianceAnswer.parse({
  provider: { id: 'p1', name: 'Ashok K. Sehgal', npi: null },
  activities: collectActivities([cert('c1', 'Medical Ethics Update'), cert('c2', 'Grand Rounds: Case Review')]),
  licenses: [],
}).activities;
const ethics = activities.find((a) => a.title === 'Medical Ethics Update')!;
const rounds = activities.find((a) => a.title === 'Grand Rounds: Case Review')!;

describe('setting an activity’s topics by hand', () => {
  it('offers every topic the rules use (the same list as the server’s)', () => {
    expect(CHANNEL_ARGS['providers.setCmeTopics'].shape.topics.unwrap().element.options).toEqual([...TOPICS]);
  });

  it('lists each activity with its recognised topic and, opened, labelled checkboxes ticked as it stands', () => {
    const html = render(
      <ActivityTopics providerId="p1" activities={activities} onChanged={() => undefined} initiallyOpen={ethics.key} />,
    );
    expect(html).toContain('Medical Ethics Update');
    expect(html).toContain('topic: Ethics (&quot;Ethics&quot; in the title)');
    expect(html).toMatch(/Grand Rounds: Case Review · <span class="muted">no topic<\/span>/);
    expect(html.match(/aria-expanded="true"/g)).toHaveLength(1);
    expect(html).toContain('<legend>Topics of Medical Ethics Update</legend>');
    // Every checkbox sits in its label (a screen reader and a click on the word reach it).
    const boxes = [...html.matchAll(/<label><input type="checkbox"( checked="")?\/>([^<]+)<\/label>/g)];
    expect(boxes).toHaveLength(TOPICS.length);
    expect(boxes.filter((b) => b[1]).map((b) => b[2])).toEqual(['Ethics']);
    expect(html).toMatch(/<button type="button">Save topics<\/button><button type="button">No topic<\/button>/);
  });

  it('sends providers.setCmeTopics with the ticked topics in the rules’ order, or none; the schema accepts both', async () => {
    const fake = createFakeApi({ 'providers.setCmeTopics': () => undefined });
    await saveActivityTopics(fake.api, 'p1', rounds.key, new Set(['ethics', 'pain_management'] as const));
    await saveActivityTopics(fake.api, 'p1', ethics.key, new Set());
    expect(fake.calls).toEqual([
      {
        channel: 'providers.setCmeTopics',
        arg: { id: 'p1', activityKey: rounds.key, topics: ['pain_management', 'ethics'] },
      },
      { channel: 'providers.setCmeTopics', arg: { id: 'p1', activityKey: ethics.key, topics: [] } },
    ]);
    for (const c of fake.calls) expect(CHANNEL_ARGS['providers.setCmeTopics'].safeParse(c.arg).success).toBe(true);
    const bad = { id: 'p1', activityKey: rounds.key, topics: ['astrology'] };
    expect(CHANNEL_ARGS['providers.setCmeTopics'].safeParse(bad).success).toBe(false);
  });

  it('offers “Use the title’s topics” only where a coordinator set them, and sends null for it', async () => {
    const byHand = [{ ...ethics, topics: [], topicsByHand: true }, rounds];
    const html = render(<ActivityTopics providerId="p1" activities={byHand} onChanged={() => undefined} />);
    expect(html.match(/>Use the title&#x27;s topics</g)).toHaveLength(1);
    expect(html).toContain('aria-label="Use the title&#x27;s topics for Medical Ethics Update"');
    const plain = render(<ActivityTopics providerId="p1" activities={activities} onChanged={() => undefined} />);
    expect(plain).not.toContain('Use the title');

    const fake = createFakeApi({ 'providers.setCmeTopics': () => undefined });
    await restoreTitleTopics(fake.api, 'p1', ethics.key);
    expect(fake.calls).toEqual([
      { channel: 'providers.setCmeTopics', arg: { id: 'p1', activityKey: ethics.key, topics: null } },
    ]);
    expect(CHANNEL_ARGS['providers.setCmeTopics'].safeParse(fake.calls[0]!.arg).success).toBe(true);
  });

  it('is on the CME card only where the page can reload the figures after a change', () => {
    const page = ProviderPage.parse({
      provider: { id: 'p1', name: 'Ashok K. Sehgal', npi: null, origin: 'document', createdAt: '2026-12-01' },
      identifiers: [],
      documents: [],
      credentials: [],
      cme: { activities: [], totals: { totalCredits: 4, activities: 2, byCreditType: {}, byYear: {} } },
    });
    const compliance = ComplianceAnswer.parse({ provider: page.provider, activities, licenses: [] });
    expect(render(<ProviderCme page={page} compliance={compliance} />)).not.toContain('Set topics');
    const editable = render(<ProviderCme page={page} compliance={compliance} onTopicsChanged={() => undefined} />);
    expect(editable.match(/>Set topics</g)).toHaveLength(2);
  });
});
