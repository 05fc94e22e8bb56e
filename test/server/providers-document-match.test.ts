/**
 * Issue 18: a document's provider match reaches the clients with its summary. The change feed
 * (GET /changes) and the document (GET /documents/:id) carry it; every change of match (the
 * reconciler's, a coordinator's confirmation) puts the document on the feed again, once: the
 * reconciler does not take its own announcement for a changed document. Real server, real
 * extraction, real SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangesResponse, DocumentDetail, DocumentSummary } from '../../common/api';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { SEHGAL_NPI, uploadSehgalDocuments, uploadWeakSehgalCertificate } from './providers-uploads';

describe('document summaries carry their provider match', () => {
  let srv: TestServer;
  let token: string;
  let sehgalDocs: string[];
  let weakDoc: string;
  let providerId: string;

  const feed = async (since: number) => {
    const res = await srv.api<ChangesResponse>(token, 'GET', `/changes?since=${since}&limit=1000`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const cursorNow = async () => (await feed(0)).cursor;
  const byId = (docs: DocumentSummary[]) => new Map(docs.map((d) => [d.id, d]));

  beforeAll(async () => {
    srv = await startTestServer();
    token = await srv.login();
    sehgalDocs = await uploadSehgalDocuments(srv, token);
    weakDoc = await uploadWeakSehgalCertificate(srv, token);
    await srv.addUser({ org: 'Other Clinic', email: 'other@m.test', password: 'a-long-password-for-m', role: 'admin' });
  }, 300_000);
  afterAll(async () => {
    await srv.stop();
  });

  it('sends no match before matching, then announces each match once on the feed', async () => {
    const before = await feed(0);
    // The reconciler has not run yet (no provider read, the timer's first turn is 30 s away).
    for (const id of [...sehgalDocs, weakDoc]) expect(byId(before.documents).get(id)?.match ?? null).toBeNull();

    const list = await srv.api<{ providers: Array<{ id: string; npi: string | null; toConfirm: number }> }>(
      token,
      'GET',
      '/providers',
    );
    providerId = list.body.providers.find((p) => p.npi === SEHGAL_NPI)!.id;
    const after = await feed(before.cursor);
    const docs = byId(after.documents);
    expect(docs.get(sehgalDocs[0]!)?.match).toEqual({
      providerId,
      providerName: 'Ashok K. Sehgal',
      evidence: 'new',
      score: 1,
      needsConfirmation: false,
    });
    expect(docs.get(sehgalDocs[1]!)?.match).toMatchObject({ providerId, evidence: 'name', needsConfirmation: false });
    expect(docs.get(weakDoc)?.match).toMatchObject({
      providerId,
      providerName: 'Ashok K. Sehgal',
      evidence: 'name',
      needsConfirmation: true,
    });
    // The announcement is not a change of the document: its own time stays, and reading again announces nothing.
    expect(docs.get(weakDoc)?.updatedAt).toBe(byId(before.documents).get(weakDoc)?.updatedAt);
    await srv.api(token, 'GET', '/providers');
    await srv.api(token, 'GET', '/providers/review');
    expect((await feed(after.cursor)).documents).toEqual([]);
  });

  it('carries the match on the document itself', async () => {
    const res = await srv.api<DocumentDetail>(token, 'GET', `/documents/${weakDoc}`);
    expect(res.status).toBe(200);
    expect(res.body.match).toMatchObject({ providerId, needsConfirmation: true });
  });

  it("announces a coordinator's confirmation as a settled manual match, and none across organisations", async () => {
    const since = await cursorNow();
    const other = await srv.login('other@m.test', 'a-long-password-for-m');
    expect((await srv.api(other, 'PUT', `/providers/matches/${weakDoc}`, { providerId: null })).status).toBe(404);
    expect((await srv.api(other, 'GET', `/documents/${weakDoc}`)).status).toBe(404);
    expect((await srv.api<ChangesResponse>(other, 'GET', '/changes?since=0')).body.documents).toEqual([]);

    expect((await srv.api(token, 'PUT', `/providers/matches/${weakDoc}`, { providerId })).status).toBe(200);
    const changed = await feed(since);
    expect(changed.documents.map((d) => d.id)).toEqual([weakDoc]);
    expect(changed.documents[0]!.match).toEqual({
      providerId,
      providerName: 'Ashok K. Sehgal',
      evidence: 'manual',
      score: 1,
      needsConfirmation: false,
    });
    // The reconciler keeps the manual match without announcing it again.
    await srv.api(token, 'GET', '/providers');
    expect((await feed(changed.cursor)).documents).toEqual([]);
  });

  it('announces a new provider name from the roster with its documents', async () => {
    const since = await cursorNow();
    const res = await srv.api<{ updated: number }>(token, 'POST', '/providers/roster', {
      csv: `name,npi\nAshok Kumar Sehgal,${SEHGAL_NPI}\n`,
    });
    expect(res.body.updated).toBe(1);
    const changed = await feed(since);
    expect(changed.documents.map((d) => d.id).sort()).toEqual([...sehgalDocs, weakDoc].sort());
    for (const d of changed.documents) expect(d.match?.providerName).toBe('Ashok Kumar Sehgal');
  });
});
