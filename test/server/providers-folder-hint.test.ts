/**
 * Issue 18: "a folder per provider (`Sehgal_Ashok/`) counts as a hint, never as proof". Through the
 * real server: relPath is checked at registration (a clear 400, the path never repeated or logged);
 * real credential PDFs are uploaded under folders, extracted and given a reviewer's corrections,
 * then matched. The folder raises a weak name match a little and breaks a tie (still for the
 * coordinator to confirm), creates no match on its own, and a folder naming another person than
 * an NPI or the printed name flags the match.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CompleteUploadResponse,
  DocumentDetail,
  RegisterUploadResponse,
  RegisterUploadsResponse,
  SignPartsResponse,
} from '../../common/api';
import type { FlaggedMatch } from '../../common/providers-api';
import { makeCredentialPdf } from '../helpers/credential-pdf';
import { sha256Hex } from '../helpers/pdf-fixtures';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitFor } from '../helpers/upload-client';
import { day, SEHGAL_NPI as NPI } from './providers-uploads';
import { npiFrom } from './providers-fixture';

const ANITA_NPI = npiFrom('198765432');

let srv: TestServer;
let token: string;
let tokenB: string;

/** Register (with relPath), send and complete one file, as a client does; the document id. */
async function upload(t: string, bytes: Uint8Array, fileName: string, relPath?: string): Promise<string> {
  const reg = await srv.api<RegisterUploadResponse>(t, 'POST', '/uploads', {
    fileName,
    sizeBytes: bytes.byteLength,
    sha256: sha256Hex(bytes),
    ...(relPath !== undefined ? { relPath } : {}),
  });
  if (reg.status !== 201 || reg.body.outcome !== 'upload') throw new Error(`register: ${JSON.stringify(reg.body)}`);
  const { uploadId, partCount } = reg.body;
  const partNumbers = Array.from({ length: partCount }, (_, i) => i + 1);
  const signed = await srv.api<SignPartsResponse>(t, 'POST', `/uploads/${uploadId}/parts`, { partNumbers });
  const parts = [];
  for (const { partNumber, url } of signed.body.urls) {
    const put = await fetch(url, { method: 'PUT', body: bytes, signal: AbortSignal.timeout(30_000) });
    if (!put.ok) throw new Error(`PUT: ${put.status}`);
    parts.push({ partNumber, etag: put.headers.get('etag') ?? '' });
  }
  const done = await srv.api<CompleteUploadResponse>(t, 'POST', `/uploads/${uploadId}/complete`, { parts });
  if (done.status !== 202) throw new Error(`complete: ${JSON.stringify(done.body)}`);
  return done.body.documentId;
}

/** A real credential PDF uploaded under relPath, extracted, then approved with a reviewer's fields. */
async function reviewed(
  t: string,
  layout: string,
  seed: number,
  relPath: string | undefined,
  fields: Record<string, unknown>,
): Promise<string> {
  const { bytes } = await makeCredentialPdf(layout, seed);
  const id = await upload(t, bytes, `${layout}.pdf`, relPath);
  await waitFor(
    async () =>
      (await srv.api<DocumentDetail>(t, 'GET', `/documents/${id}`)).body.status === 'review_pending' ? true : undefined,
    90_000,
    `extraction of ${layout}`,
  );
  const res = await srv.api(t, 'PATCH', `/documents/${id}`, { fields, decision: 'approve' });
  if (res.status !== 200) throw new Error(`review of ${layout}: ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}

const cme = (participantName: string, title: string) => ({
  participantName,
  activityTitle: title,
  completionDate: day(-10),
  credits: 1,
  creditType: 'AMA_PRA_1',
});
const license = (licenseeName: string, npi: string, licenseNumber: string) => ({
  licenseeName,
  state: 'OH',
  licenseNumber,
  expirationDate: day(200),
  npi,
});

interface ProviderSummary {
  id: string;
  name: string;
}
async function providers(t: string): Promise<ProviderSummary[]> {
  return (await srv.api<{ providers: ProviderSummary[] }>(t, 'GET', '/providers')).body.providers;
}
async function flagged(t: string): Promise<Map<string, FlaggedMatch>> {
  const res = await srv.api<{ matches: FlaggedMatch[] }>(t, 'GET', '/providers/review');
  return new Map(res.body.matches.map((m) => [m.documentId, m]));
}

beforeAll(async () => {
  srv = await startTestServer();
  token = await srv.login();
  await srv.addUser({ org: 'Clinic B', email: 'b@b.test', password: 'a-long-password-for-b', role: 'admin' });
  tokenB = await srv.login('b@b.test', 'a-long-password-for-b');
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

describe('relPath at registration', () => {
  const file = (n: number, relPath: string) => ({
    fileName: `f${n}.pdf`,
    sizeBytes: 1000 + n,
    sha256: sha256Hex(new Uint8Array([n, 1, 2, 3])),
    relPath,
  });

  it('refuses an absolute path, ".." and an over-long path with a 400 that does not repeat it', async () => {
    const bad: Array<[string, RegExp]> = [
      ['/home/jsmith/Sehgal_Ashok/license.pdf', /not an absolute path/],
      ['C:\\Users\\jsmith\\license.pdf', /not an absolute path/],
      ['Sehgal_Ashok/../../etc/license.pdf', /must not contain "\.\."/],
      [`${'Sehgal_Ashok/'.repeat(80)}license.pdf`, /the limit is 1024/],
    ];
    for (const [relPath, message] of bad) {
      const res = await srv.api<{ error: { kind: string; message: string } }>(
        token,
        'POST',
        '/uploads',
        file(1, relPath),
      );
      expect(res.status, relPath).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(res.body.error.message).not.toContain('Sehgal');
      expect(res.body.error.message).not.toContain('jsmith');
    }
    // In a batch only the bad file is refused.
    const batch = await srv.api<RegisterUploadsResponse>(token, 'POST', '/uploads/batch', {
      files: [file(2, '../x.pdf'), file(3, 'Doe_Jane/x.pdf')],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.results[0]).toMatchObject({ outcome: 'error', status: 400 });
    expect(batch.body.results[1]).toMatchObject({ outcome: 'upload' });
  });

  it('stores the path with control characters stripped and backslashes as forward slashes, and never logs it', async () => {
    const res = await srv.api<RegisterUploadResponse>(
      token,
      'POST',
      '/uploads',
      file(4, 'Zeta_Quill\u0007\\./cme\r\n/cert.pdf'),
    );
    expect(res.status).toBe(201);
    const db = openServerRows(srv);
    try {
      const id = (res.body as { uploadId: string }).uploadId;
      const row = await db.get<{ rel_path: string }>('SELECT rel_path FROM uploads WHERE id = ?', id);
      expect(row?.rel_path).toBe('Zeta_Quill/cme/cert.pdf');
    } finally {
      await db.close();
    }
    expect(srv.logs().filter((l) => JSON.stringify(l).includes('Zeta_Quill'))).toEqual([]);
  });
});

describe('a folder per provider as a matching hint', () => {
  let ashok: ProviderSummary;

  beforeAll(async () => {
    // The license first, matched, so the certificates after it have a provider to fit.
    await reviewed(token, 'license-verification-printout', 1, 'Providers/Sehgal_Ashok/licenses/ohio.pdf', {
      ...license('SEHGAL, ASHOK K.', NPI, '35.123456'),
    });
    const all = await providers(token);
    expect(all).toHaveLength(1);
    ashok = all[0]!;
  }, 180_000);

  it('starts the provider from the license; a folder naming the same person flags nothing', async () => {
    expect(ashok).toMatchObject({ name: 'Ashok K. Sehgal' });
    expect((await flagged(token)).size).toBe(0);
  });

  it('raises a weak name match a little, leaving it for the coordinator, and says why', async () => {
    const inFolder = await reviewed(token, 'cme-aafp-certificate', 2, 'Sehgal_Ashok/cme/sepsis.pdf', {
      ...cme('A. Sehgal', 'Sepsis Update'),
    });
    const loose = await reviewed(token, 'cme-ama-certificate', 3, 'cme/stroke.pdf', { ...cme('A. Sehgal', 'Stroke') });
    const open = await flagged(token);
    const hinted = open.get(inFolder)!;
    const plain = open.get(loose)!;
    expect(hinted.providerId).toBe(ashok.id);
    expect(plain.providerId).toBe(ashok.id);
    expect(hinted.score).toBeGreaterThan(plain.score);
    expect(hinted.score - plain.score).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(hinted.reasons.join(' | ')).toMatch(/upload folder "Sehgal_Ashok" names this provider too.*score raised/);
    expect(plain.reasons.join(' | ')).not.toMatch(/upload folder "/);
  }, 240_000);

  it('creates no match on its own: an unknown initial in the folder stays unmatched, a full other name starts its own provider, flagged', async () => {
    const initial = await reviewed(token, 'cme-ancc-certificate', 4, 'sehgal-ashok/misc.pdf', {
      ...cme('B. Jones', 'Ethics'),
    });
    const other = await reviewed(token, 'cme-aoa-certificate', 5, 'Sehgal_Ashok/jane.pdf', {
      ...cme('Jane Doe', 'Pain Management'),
    });
    const open = await flagged(token);
    expect(open.get(initial)).toMatchObject({ providerId: null });
    expect(open.get(initial)!.candidates.map((c) => c.providerId)).toEqual([ashok.id]);
    const jane = (await providers(token)).find((p) => p.name === 'Jane Doe');
    expect(jane).toBeDefined();
    expect(open.get(other)).toMatchObject({ providerId: jane!.id });
    expect(open.get(other)!.reasons.join(' | ')).toMatch(
      /conflict: the upload folder "Sehgal_Ashok" names another person than the printed name/,
    );
  }, 240_000);

  it('never overrides an NPI: a folder naming someone else keeps the NPI match and flags it', async () => {
    const doc = await reviewed(token, 'license-wall-certificate', 6, 'Doe, Jane/license.pdf', {
      ...license('Ashok K. Sehgal', NPI, '35.999999'),
    });
    const m = (await flagged(token)).get(doc)!;
    expect(m).toMatchObject({ providerId: ashok.id, evidence: 'npi' });
    expect(m.reasons.join(' | ')).toMatch(/conflict: the upload folder "Doe, Jane" names another person/);
    const db = openServerRows(srv);
    try {
      const row = await db.get<{ details_json: string }>(
        'SELECT details_json FROM provider_matches WHERE document_id = ?',
        doc,
      );
      expect(JSON.parse(row!.details_json).folderHint).toEqual({ folder: 'Doe, Jane', fits: 'other' });
    } finally {
      await db.close();
    }
  }, 240_000);

  it('breaks a tie between two providers of one surname, still for the coordinator to confirm', async () => {
    await reviewed(tokenB, 'license-verification-printout', 7, 'lic/ashok.pdf', {
      ...license('Ashok Sehgal', NPI, '35.123456'),
    });
    await reviewed(tokenB, 'license-wallet-card', 8, 'lic/anita.pdf', {
      ...license('Anita R. Sehgal', ANITA_NPI, '35.654321'),
    });
    const both = await providers(tokenB);
    expect(both).toHaveLength(2);
    const ashokB = both.find((p) => p.name === 'Ashok Sehgal')!;
    const cert = await reviewed(tokenB, 'cme-online-certificate', 9, 'Ashok Sehgal MD/cert.pdf', {
      ...cme('A. Sehgal', 'Opioid Prescribing'),
    });
    const m = (await flagged(tokenB)).get(cert)!;
    expect(m.providerId).toBe(ashokB.id);
    expect(m.reasons.join(' | ')).toMatch(/ambiguous.*suggests one of them/);
    expect(m.candidates.find((c) => c.providerId === ashokB.id)!.score).toBeGreaterThan(
      m.candidates.find((c) => c.providerId !== ashokB.id)!.score,
    );
  }, 240_000);
});
