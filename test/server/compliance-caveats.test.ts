/**
 * Issue 18, item 4: each rule carries its source, and where the sources leave the rule open the
 * entry says so in its data (not only in a code comment), so the compliance view can show it:
 * Georgia's Category 1 reading, through the real server's compliance route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCompliance } from '../../server/compliance/compute-compliance';
import { ruleFor } from '../../server/compliance/rules';
import { startTestServer, type TestServer } from '../helpers/test-server';

let srv: TestServer;
let token: string;
beforeAll(async () => {
  srv = await startTestServer();
  token = await srv.login();
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

describe('rule caveats', () => {
  it('Georgia states that summaries differ on Category 1 and which reading it counts; North Carolina states none', () => {
    const compute = (state: string) =>
      computeCompliance({
        state,
        rule: ruleFor(state),
        license: { documentId: 'lic', number: 'X1', expirationDate: '2026-12-31' },
        activities: [],
        prescribesControlledSubstances: false,
      });
    expect(compute('GA').source?.caveats).toEqual([expect.stringMatching(/25%.*counts Category 1 hours only/)]);
    expect(compute('NC').source?.caveats).toEqual([]);
  });

  it('reach the compliance answer of the API', async () => {
    const roster = await srv.api(token, 'POST', '/providers/roster', { csv: 'name\nJane Roe\n' });
    expect(roster.status).toBe(200);
    const list = await srv.api<{ providers: Array<{ id: string }> }>(token, 'GET', '/providers');
    const id = list.body.providers[0]!.id;
    const res = await srv.api<{ licenses: Array<{ state: string; source: { caveats: string[] } | null }> }>(
      token,
      'GET',
      `/providers/${id}/compliance?state=GA`,
    );
    expect(res.status).toBe(200);
    expect(res.body.licenses[0]).toMatchObject({ state: 'GA' });
    expect(res.body.licenses[0]!.source!.caveats[0]).toMatch(
      /Summaries differ on whether every hour must be Category 1/,
    );
  });
});
