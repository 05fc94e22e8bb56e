/**
 * The providers API on the real server: documents uploaded and extracted for real, then given a
 * reviewer's corrections so they name one person in three ways; the providers list, compliance,
 * expirations (JSON, CSV, iCalendar), the daily notice, organisation scoping and the read audit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { ApiClient } from '../../main/core/api-client';
import { providerCompliance, setCmeTopics } from '../../main/core/providers-client';
import { makeCredentialPdf } from '../helpers/credential-pdf';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';
import { day, SEHGAL_DEA as DEA, SEHGAL_NPI as NPI, uploadSehgalDocuments } from './providers-uploads';

interface Summary {
  id: string;
  name: string;
  npi: string | null;
  documents: number;
  credentials: Array<{
    docType: string;
    state: string | null;
    number: string | null;
    status: string;
    expirationDate: string;
  }>;
  cme: { totalCredits: number; activities: number; byCreditType: Record<string, number> };
}

describe('providers API', () => {
  let srv: TestServer;
  let token: string;
  let provider: Summary;

  beforeAll(async () => {
    srv = await startTestServer();
    token = await srv.login();
    await uploadSehgalDocuments(srv, token);
    await srv.addUser({ org: 'Other Clinic', email: 'other@b.test', password: 'a-long-password-for-b', role: 'admin' });
  }, 300_000);
  afterAll(async () => {
    await srv.stop();
  });

  it('lists one provider for three documents that print the name three ways, with credentials and CME', async () => {
    const res = await srv.api<{ providers: Summary[] }>(token, 'GET', '/providers');
    expect(res.status).toBe(200);
    expect(res.body.providers).toHaveLength(1);
    provider = res.body.providers[0]!;
    expect(provider).toMatchObject({ name: 'Ashok K. Sehgal', npi: NPI, documents: 3 });
    expect(provider.credentials).toEqual([
      expect.objectContaining({
        docType: 'dea_registration',
        state: 'OH',
        number: DEA,
        status: 'expiring',
        expirationDate: day(20),
      }),
      expect.objectContaining({ docType: 'medical_license', state: 'OH', number: '35.123456', status: 'expiring' }),
    ]);
    expect(provider.cme).toEqual({ totalCredits: 2, activities: 1, byCreditType: { AMA_PRA_1: 2 } });
  });

  it('computes Ohio compliance for the license, by NPI as well as by id', async () => {
    const res = await srv.api<{ licenses: Array<Record<string, unknown>> }>(
      token,
      'GET',
      `/providers/${NPI}/compliance?state=oh`,
    );
    expect(res.status).toBe(200);
    expect(res.body.licenses).toHaveLength(1);
    expect(res.body.licenses[0]).toMatchObject({
      state: 'OH',
      status: 'short',
      hoursRequired: 50,
      earned: { total: 2 },
      shortfall: 48,
      cycle: { end: day(45) },
      topics: [expect.objectContaining({ met: true, earned: 2 })],
    });
    const wa = await srv.api<{ licenses: Array<{ status: string }> }>(
      token,
      'GET',
      `/providers/${provider.id}/compliance?state=WA`,
    );
    expect(wa.body.licenses).toEqual([expect.objectContaining({ status: 'no_rule' })]);
  });

  it('exports the expirations as JSON windows, CSV and an iCalendar event per expiration', async () => {
    const json = await srv.api<{ expirations: Array<{ bucket: string; docType: string }> }>(
      token,
      'GET',
      '/providers/expirations',
    );
    expect(json.body.expirations.map((e) => [e.docType, e.bucket])).toEqual([
      ['dea_registration', 'within_30'],
      ['medical_license', 'within_60'],
    ]);
    const auth = { authorization: `Bearer ${token}` };
    const csv = await fetch(`${srv.apiUrl}/api/v1/providers/expirations?format=csv`, { headers: auth });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain(`Ashok K. Sehgal,${provider.id},dea_registration,OH,${DEA},${day(20)},20,within_30`);
    const ics = await (await fetch(`${srv.apiUrl}/api/v1/providers/expirations?format=ics`, { headers: auth })).text();
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics).toContain(`DTSTART;VALUE=DATE:${day(20).replace(/-/g, '')}`);
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  });

  it('gives the daily expiry notice once per window', async () => {
    const first = await srv.api<{ notices: unknown[] }>(token, 'POST', '/providers/expirations/notices');
    expect(first.body.notices).toHaveLength(2);
    const again = await srv.api<{ notices: unknown[] }>(token, 'POST', '/providers/expirations/notices');
    expect(again.body.notices).toEqual([]);
  });

  it('answers 404 for another organisation, and audits each read of provider data', async () => {
    const other = await srv.login('other@b.test', 'a-long-password-for-b');
    expect((await srv.api(other, 'GET', `/providers/${provider.id}`)).status).toBe(404);
    expect((await srv.api(other, 'GET', `/providers/${NPI}/compliance`)).status).toBe(404);
    expect((await srv.api<{ providers: unknown[] }>(other, 'GET', '/providers')).body.providers).toEqual([]);
    expect((await srv.api(other, 'POST', `/providers/${provider.id}/merge`, { from: provider.id })).status).toBe(404);

    const page = await srv.api<{ documents: Array<{ documentId: string; evidence: string }> }>(
      token,
      'GET',
      `/providers/${provider.id}`,
    );
    expect(page.body.documents.map((d) => d.evidence).sort()).toEqual(['name', 'name', 'new']);
    const audit = await srv.api<{ events: Array<{ action: string; details: { providerIds?: string[] } }> }>(
      token,
      'GET',
      '/audit?limit=50',
    );
    const actions = audit.body.events.map((e) => e.action);
    for (const a of ['providers.listed', 'provider.compliance_read', 'providers.expirations_read', 'provider.read'])
      expect(actions).toContain(a);
    expect(audit.body.events.find((e) => e.action === 'provider.read')!.details.providerIds).toEqual([provider.id]);
  });

  it('lets an uploader read but not decide; roster is for admins; decisions stay within the organisation', async () => {
    // The local account's organisation is 'Local'.
    await srv.addUser({ org: 'Local', email: 'uploader@a.test', password: 'a-long-password-for-up', role: 'uploader' });
    const uploader = await srv.login('uploader@a.test', 'a-long-password-for-up');
    expect((await srv.api(uploader, 'GET', `/providers/${provider.id}`)).status).toBe(200);
    const page = await srv.api<{ documents: Array<{ documentId: string }> }>(token, 'GET', `/providers/${provider.id}`);
    const documentId = page.body.documents[0]!.documentId;
    expect((await srv.api(uploader, 'PUT', `/providers/matches/${documentId}`, { providerId: null })).status).toBe(403);
    expect((await srv.api(uploader, 'POST', '/providers/roster', { csv: 'name\nJane Roe\n' })).status).toBe(403);

    const other = await srv.login('other@b.test', 'a-long-password-for-b');
    expect((await srv.api(other, 'PUT', `/providers/matches/${documentId}`, { providerId: null })).status).toBe(404);
    expect((await srv.api(token, 'PUT', `/providers/matches/${documentId}`, { providerId: 'nope' })).status).toBe(404);
    const roster = await srv.api(token, 'POST', '/providers/roster', { csv: 'name,npi\nJane Roe,\n' });
    expect(roster).toMatchObject({ status: 200, body: { created: 1, updated: 0, errors: [] } });
    expect((await srv.api(token, 'POST', '/providers/roster', { nope: 1 })).status).toBe(400);
  });
  it('audits every document a compliance answer carries, an activity outside the cycle too', async () => {
    const pdf = await makeCredentialPdf('cme-aafp-certificate');
    const { documentId } = await uploadBytes(srv, token, pdf.bytes, { fileName: 'old-cme.pdf' });
    const status = async () => (await srv.api<DocumentDetail>(token, 'GET', `/documents/${documentId}`)).body.status;
    await waitFor(async () => ((await status()) === 'review_pending' ? true : undefined), 90_000, 'extraction');
    const fields = {
      participantName: 'Ashok K. Sehgal',
      activityTitle: 'Pain Management 2019',
      completionDate: day(-1500),
      credits: 3,
      creditType: 'AMA_PRA_1',
    };
    expect((await srv.api(token, 'PATCH', `/documents/${documentId}`, { fields, decision: 'approve' })).status).toBe(
      200,
    );

    const res = await srv.api<{
      activities: Array<{ sources: Array<{ documentId: string }> }>;
      licenses: Array<{ earned: { total: number } }>;
    }>(token, 'GET', `/providers/${provider.id}/compliance?state=OH`);
    expect(res.body.activities.flatMap((a) => a.sources.map((s) => s.documentId))).toContain(documentId);
    expect(res.body.licenses[0]!.earned.total).toBe(2); // the old activity is outside the cycle
    const audit = await srv.api<{ events: Array<{ action: string; details: { documentIds?: string[] } }> }>(
      token,
      'GET',
      '/audit?limit=50',
    );
    const reads = audit.body.events.filter((e) => e.action === 'provider.compliance_read');
    expect(reads.some((e) => e.details.documentIds?.includes(documentId))).toBe(true);
  });

  it("changes the computed compliance when a coordinator sets an activity's topics from the desktop client", async () => {
    // Through main/core/providers-client.ts, the call the app's providers.setCmeTopics channel makes.
    const api = new ApiClient(srv.apiUrl, { token });
    const ohio = async () => {
      const c = await providerCompliance(api, provider.id, 'OH');
      const activity = c.activities.find((a) => a.title === 'Duty to Report Misconduct')!;
      return { activity, topic: c.licenses[0]!.topics[0]! };
    };
    const before = await ohio();
    expect(before.activity.topics).toEqual([{ topic: 'duty_to_report', match: 'Duty to Report', source: 'title' }]);
    expect(before.topic).toMatchObject({ met: true, earned: 2 });

    await setCmeTopics(api, provider.id, { activityKey: before.activity.key, topics: [] });
    const none = await ohio();
    expect(none.activity.topics).toEqual([]);
    expect(none.topic).toMatchObject({ met: false, earned: 0, activityKeys: [] });

    await setCmeTopics(api, provider.id, { activityKey: before.activity.key, topics: ['ethics', 'duty_to_report'] });
    const set = await ohio();
    expect(set.activity.topics.map((t) => [t.topic, t.source])).toEqual([
      ['ethics', 'override'],
      ['duty_to_report', 'override'],
    ]);
    expect(set.topic).toMatchObject({ met: true, earned: 2, activityKeys: [before.activity.key] });
    expect(set.activity.topicsByHand).toBe(true);

    // "No topic" leaves no topic to show its source; the flag still says a coordinator chose it.
    await setCmeTopics(api, provider.id, { activityKey: before.activity.key, topics: [] });
    expect((await ohio()).activity.topicsByHand).toBe(true);
    // null hands the activity back to the title reader: the compliance is the title's reading again.
    await setCmeTopics(api, provider.id, { activityKey: before.activity.key, topics: null });
    const back = await ohio();
    expect(back.activity.topics).toEqual(before.activity.topics);
    expect(back.activity.topicsByHand).toBeUndefined();
    expect(back.topic).toEqual(before.topic);
    // Another organisation's provider is not found, and its activity keeps its topics.
    await setCmeTopics(api, provider.id, { activityKey: before.activity.key, topics: ['ethics'] });
    const other = await srv.login('other@b.test', 'a-long-password-for-b');
    const path = `/providers/${provider.id}/cme-topics`;
    const foreign = await srv.api(other, 'PUT', path, { activityKey: before.activity.key, topics: null });
    expect(foreign.status).toBe(404);
    expect((await ohio()).activity.topicsByHand).toBe(true);
    await setCmeTopics(api, provider.id, { activityKey: before.activity.key, topics: null });

    const bad = setCmeTopics(api, provider.id, { activityKey: before.activity.key, topics: ['astrology'] });
    await expect(bad).rejects.toThrow(/topics/i);
    const audit = await srv.api<{ events: Array<{ action: string; actor: string; details: Record<string, unknown> }> }>(
      token,
      'GET',
      '/audit?limit=50',
    );
    const sets = audit.body.events.filter((e) => e.action === 'provider.cme_topics_set');
    expect(sets.map((e) => e.details.topics)).toEqual(expect.arrayContaining([[], ['ethics', 'duty_to_report']]));
    const cleared = audit.body.events.filter((e) => e.action === 'provider.cme_topics_cleared');
    expect(cleared).toHaveLength(2);
    for (const e of cleared)
      expect(e.details).toEqual({ providerId: provider.id, activityKey: before.activity.key, topics: null });
  });
});
