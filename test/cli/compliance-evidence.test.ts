/**
 * Issue 18, through the real server and the real command line: what a coordinator decides on
 * reaches them. A Georgia license's compliance prints the rule's caveat under its source
 * (`credmate compliance`, text and --json); the folder hint recorded with a match reaches the
 * desktop's providers client (the provider's documents and the matches to confirm), parsed with
 * the wire schema the screens read. Real credential PDFs, uploaded under provider folders,
 * extracted, then approved with a reviewer's fields.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CompleteUploadResponse,
  DocumentDetail,
  RegisterUploadResponse,
  SignPartsResponse,
} from '../../common/api';
import { ApiClient } from '../../main/core/api-client';
import { getProviderPage, listFlaggedMatches, listProviders } from '../../main/core/providers-client';
import { makeCredentialPdf } from '../helpers/credential-pdf';
import { sha256Hex } from '../helpers/pdf-fixtures';
import { runCli, startTestServer, type TestServer } from '../helpers/test-server';
import { waitFor } from '../helpers/upload-client';
import { day, SEHGAL_NPI } from '../server/providers-uploads';

let srv: TestServer;
let token: string;
let remote: string[];
let licenseId: string;
let cmeId: string;

/** Registers (with relPath), sends and completes one file as a client does, waits for its extraction, approves it. */
async function uploadReviewed(layout: string, relPath: string, fields: Record<string, unknown>): Promise<string> {
  const { bytes } = await makeCredentialPdf(layout);
  const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
    fileName: relPath.split('/').pop(),
    sizeBytes: bytes.byteLength,
    sha256: sha256Hex(bytes),
    relPath,
  });
  if (reg.status !== 201 || reg.body.outcome !== 'upload') throw new Error(`register: ${JSON.stringify(reg.body)}`);
  const { uploadId, partCount, partSizeBytes } = reg.body;
  const partNumbers = Array.from({ length: partCount }, (_, i) => i + 1);
  const signed = await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${uploadId}/parts`, { partNumbers });
  const parts = [];
  for (const { partNumber, url } of signed.body.urls) {
    const chunk = bytes.subarray((partNumber - 1) * partSizeBytes, partNumber * partSizeBytes);
    const put = await fetch(url, { method: 'PUT', body: chunk, signal: AbortSignal.timeout(30_000) });
    if (!put.ok) throw new Error(`PUT: ${put.status}`);
    parts.push({ partNumber, etag: put.headers.get('etag') ?? '' });
  }
  const done = await srv.api<CompleteUploadResponse>(token, 'POST', `/uploads/${uploadId}/complete`, { parts });
  if (done.status !== 202) throw new Error(`complete: ${JSON.stringify(done.body)}`);
  const id = done.body.documentId;
  await waitFor(
    async () =>
      (await srv.api<DocumentDetail>(token, 'GET', `/documents/${id}`)).body.status === 'review_pending'
        ? true
        : undefined,
    90_000,
    `extraction of ${layout}`,
  );
  const res = await srv.api(token, 'PATCH', `/documents/${id}`, { fields, decision: 'approve' });
  if (res.status !== 200) throw new Error(`review of ${layout}: ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}

beforeAll(async () => {
  srv = await startTestServer();
  token = await srv.login();
  licenseId = await uploadReviewed('license-verification-printout', 'Sehgal_Ashok/ga-license.pdf', {
    licenseeName: 'SEHGAL, ASHOK K.',
    state: 'GA',
    licenseNumber: '071234',
    expirationDate: day(200),
    npi: SEHGAL_NPI,
  });
  // Matched first, so the certificate below finds the provider the license started.
  expect(await srv.api(token, 'GET', '/providers')).toMatchObject({ status: 200 });
  cmeId = await uploadReviewed('cme-ama-certificate', 'Roe_Jane/sepsis.pdf', {
    participantName: 'Ashok K. Sehgal',
    activityTitle: 'Sepsis Update',
    completionDate: day(-10),
    credits: 2,
    creditType: 'AMA_PRA_1',
  });
  const local = JSON.parse(fs.readFileSync(path.join(srv.dataDir, 'server', 'local-account.json'), 'utf8')) as {
    email: string;
    password: string;
  };
  remote = ['--server', srv.apiUrl, '--email', local.email, '--password', local.password];
}, 300_000);
afterAll(async () => {
  await srv?.stop();
});

describe('credmate compliance prints the rule caveats', () => {
  it("prints Georgia's caveat under the source of the Georgia license, as text and in --json", async () => {
    const text = await runCli(['compliance', '--provider', SEHGAL_NPI, ...remote]);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    const source = lines.findIndex((l) => l.startsWith('  source: ') && l.includes('Georgia'));
    expect(lines[0]).toContain('Ashok K. Sehgal');
    expect(lines.some((l) => l.startsWith('GA license 071234: '))).toBe(true);
    expect(source).toBeGreaterThan(0);
    expect(lines[source + 1]).toMatch(
      /^ {2}caveat: Summaries differ on whether every hour must be Category 1 .*this entry counts Category 1 hours only\.$/,
    );

    const json = await runCli(['compliance', '--provider', SEHGAL_NPI, '--json', ...remote]);
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as { licenses: Array<{ state: string; source: { caveats: string[] } }> };
    expect(answer.licenses.map((l) => l.state)).toEqual(['GA']);
    expect(answer.licenses[0]!.source.caveats).toEqual([expect.stringMatching(/older FSMB text says 25%/)]);
  });

  it('prints no caveat line for a state whose rule has none', async () => {
    const nc = await runCli(['compliance', '--provider', SEHGAL_NPI, '--state', 'NC', ...remote]);
    expect(nc.code).toBe(0);
    expect(nc.stdout).toContain('  source: ');
    expect(nc.stdout).not.toContain('caveat:');
  });
});

describe('the folder hint reaches the desktop client with the match', () => {
  it("carries each document's folder and how it fits, on the provider's page and in the matches to confirm", async () => {
    const api = new ApiClient(srv.apiUrl, { token });
    const [provider] = await listProviders(api);
    expect(provider).toMatchObject({ name: 'Ashok K. Sehgal', npi: SEHGAL_NPI });
    const page = await getProviderPage(api, provider!.id);
    const byId = new Map(page.documents.map((d) => [d.documentId, d]));
    expect(byId.get(licenseId)!.folderHint).toEqual({ folder: 'Sehgal_Ashok', fits: 'same' });
    expect(byId.get(cmeId)).toMatchObject({
      needsConfirmation: true,
      folderHint: { folder: 'Roe_Jane', fits: 'other' },
    });
    const flagged = await listFlaggedMatches(api);
    expect(flagged.map((m) => [m.documentId, m.providerId, m.folderHint])).toEqual([
      [cmeId, provider!.id, { folder: 'Roe_Jane', fits: 'other' }],
    ]);
  });
});
