/**
 * `credmate providers` and `credmate compliance` through the real command line: against a remote
 * server with --server/--email/--password, and against the bundled server on its --data-dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startTestServer, type TestServer } from '../helpers/test-server';
import { npiFrom } from '../server/providers-fixture';
import { day, SEHGAL_DEA, SEHGAL_NPI, uploadSehgalDocuments } from '../server/providers-uploads';

describe('credmate providers and credmate compliance', () => {
  let dataDir: string;
  let srv: TestServer;
  let remote: string[];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-providers-cli-'));
    srv = await startTestServer({ dataDir });
    await uploadSehgalDocuments(srv, await srv.login());
    const local = JSON.parse(fs.readFileSync(path.join(dataDir, 'server', 'local-account.json'), 'utf8')) as {
      email: string;
      password: string;
    };
    remote = ['--server', srv.apiUrl, '--email', local.email, '--password', local.password];
  }, 300_000);
  afterAll(async () => {
    if (srv.proc.exitCode === null) await srv.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints one entry per provider in exactly the documented shape', async () => {
    const res = await runCli(['providers', '--json', ...remote]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const list = JSON.parse(res.stdout) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(1);
    expect(Object.keys(list[0]!)).toEqual(['id', 'name', 'npi', 'documents', 'credentials', 'cme', 'toConfirm']);
    expect(list[0]).toMatchObject({
      name: 'Ashok K. Sehgal',
      npi: SEHGAL_NPI,
      documents: 3,
      cme: { totalCredits: 2, activities: 1, byCreditType: { AMA_PRA_1: 2 } },
      toConfirm: 0,
    });
    const credentials = list[0]!.credentials as Array<Record<string, unknown>>;
    expect(credentials.map((c) => Object.keys(c))).toEqual([
      ['docType', 'state', 'number', 'status', 'expirationDate', 'documentId'],
      ['docType', 'state', 'number', 'status', 'expirationDate', 'documentId'],
    ]);
    expect(credentials[0]).toMatchObject({ docType: 'dea_registration', number: SEHGAL_DEA, expirationDate: day(20) });

    const text = await runCli(['providers', ...remote]);
    expect(text.stdout).toContain(`Ashok K. Sehgal  NPI ${SEHGAL_NPI}  (3 documents;`);
    expect(text.stdout).toContain(`OH license 35.123456: expires ${day(45)} (expiring)`);
  });

  it('computes compliance by NPI for one state, as JSON and as text naming the rule and its source', async () => {
    const json = await runCli(['compliance', '--provider', SEHGAL_NPI, '--state', 'oh', '--json', ...remote]);
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as { licenses: Array<Record<string, unknown>> };
    expect(answer.licenses).toEqual([
      expect.objectContaining({
        state: 'OH',
        status: 'short',
        hoursRequired: 50,
        shortfall: 48,
        earned: { total: 2, byCreditType: { AMA_PRA_1: 2 } },
      }),
    ]);
    const text = await runCli(['compliance', '--provider', SEHGAL_NPI, ...remote]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('[SHORT] 50 hours per cycle: 2 earned, 48 short');
    expect(text.stdout).toContain('[met ] A licensee’s duty to report misconduct: 2 of 1');
    expect(text.stdout).toContain('source: State Medical Board of Ohio');
    const none = await runCli(['compliance', '--provider', SEHGAL_NPI, '--state', 'WA', ...remote]);
    expect(none.stdout).toContain('No CME rule is on file for WA');
  });

  it('refuses bad usage with exit 2 and an unknown provider with exit 1', async () => {
    const noProvider = await runCli(['compliance', ...remote]);
    expect(noProvider.code).toBe(2);
    expect(noProvider.stderr).toContain('give --provider');
    const unknown = await runCli(['compliance', '--provider', '1234567893', ...remote]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No provider 1234567893');
  });

  it('seeds providers from a roster CSV, reporting the rows it could not read', async () => {
    const roster = path.join(dataDir, 'roster.csv');
    const anitaNpi = npiFrom('198765432');
    fs.writeFileSync(roster, `name,npi,licenses\nAnita R. Sehgal,${anitaNpi},OH:35.654321\nNo Npi Check,1234567898,\n`);
    const res = await runCli(['providers', '--roster', roster, ...remote]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('Roster: 1 providers created, 0 updated.');
    expect(res.stdout).toContain('line 3: NPI 1234567898 fails its check digit.');
    expect(res.stdout).toContain(`Anita R. Sehgal  NPI ${anitaNpi}  (0 documents;`);
    const missing = await runCli(['providers', '--roster', path.join(dataDir, 'nope.csv'), ...remote]);
    expect(missing.code).toBe(2);
  });

  it('answers the same from the bundled server on the data dir', async () => {
    await srv.stop();
    const res = await runCli(['providers', '--json', '--data-dir', dataDir], {}, 120_000);
    expect(res.code).toBe(0);
    const list = JSON.parse(res.stdout) as Array<{ npi: string; documents: number }>;
    expect(list.map((p) => [p.npi, p.documents])).toEqual([
      [npiFrom('198765432'), 0],
      [SEHGAL_NPI, 3],
    ]);
  }, 150_000);
});
