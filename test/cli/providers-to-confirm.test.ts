/**
 * Issue 18: `credmate providers` shows the documents whose match waits for a coordinator, run for
 * real on the bundled server of a data dir. Two providers share a surname (Ashok K. Sehgal from
 * his documents, Anita R. Sehgal from the roster) and two certificates print only "A. Sehgal": the
 * one whose file name says "Ashok Sehgal" is tentatively his, to confirm; the other could be
 * either, so no provider is chosen. `documents` counts what is matched without doubt, `toConfirm`
 * the tentative match (JSON and text), and the text tells of the document waiting for a choice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { makeCredentialPdf } from '../helpers/credential-pdf';
import { runCli, startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';
import { npiFrom } from '../server/providers-fixture';
import { day, SEHGAL_NPI, uploadSehgalDocuments } from '../server/providers-uploads';

const ANITA_NPI = npiFrom('198765432');

/** A CME certificate (its own bytes by `seed`) that names its participant only as "A. Sehgal". */
async function uploadInitialOnly(srv: TestServer, token: string, fileName: string, seed: number): Promise<string> {
  const { bytes } = await makeCredentialPdf('cme-aafp-certificate', seed);
  const { documentId } = await uploadBytes(srv, token, bytes, { fileName });
  await waitFor(
    async () =>
      (await srv.api<DocumentDetail>(token, 'GET', `/documents/${documentId}`)).body.status === 'review_pending'
        ? true
        : undefined,
    90_000,
    `extraction of ${fileName}`,
  );
  const res = await srv.api(token, 'PATCH', `/documents/${documentId}`, {
    fields: {
      participantName: 'A. Sehgal',
      activityTitle: `Sepsis Update ${seed}`,
      completionDate: day(-10),
      credits: 1,
      creditType: 'AMA_PRA_1',
    },
    decision: 'approve',
  });
  if (res.status !== 200) throw new Error(`review of ${fileName}: ${res.status}`);
  return documentId;
}

describe('credmate providers: matches to confirm', () => {
  let dataDir: string;
  let srv: TestServer;
  let either: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-providers-confirm-'));
    srv = await startTestServer({ dataDir });
    const token = await srv.login();
    const roster = await srv.api(token, 'POST', '/providers/roster', {
      csv: `name,npi\nAnita R. Sehgal,${ANITA_NPI}\n`,
    });
    expect(roster.status).toBe(200);
    await uploadSehgalDocuments(srv, token);
    await uploadInitialOnly(srv, token, 'ashok-sehgal-sepsis.pdf', 7);
    either = await uploadInitialOnly(srv, token, 'sepsis-certificate.pdf', 8);
    await srv.stop();
  }, 400_000);
  afterAll(async () => {
    if (srv.proc.exitCode === null) await srv.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts the match to confirm apart from the documents, and the document with no provider chosen', async () => {
    const res = await runCli(['providers', '--json', '--data-dir', dataDir], {}, 120_000);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const list = JSON.parse(res.stdout) as Array<Record<string, unknown>>;
    expect(list.map(({ name, npi, documents, toConfirm }) => ({ name, npi, documents, toConfirm }))).toEqual([
      { name: 'Anita R. Sehgal', npi: ANITA_NPI, documents: 0, toConfirm: 0 },
      { name: 'Ashok K. Sehgal', npi: SEHGAL_NPI, documents: 3, toConfirm: 1 },
    ]);
    const text = await runCli(['providers', '--data-dir', dataDir], {}, 120_000);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Ashok K. Sehgal  NPI ${SEHGAL_NPI}  (3 documents; 1 to confirm; id `);
    expect(text.stdout).toContain(`Anita R. Sehgal  NPI ${ANITA_NPI}  (0 documents; id `);
    expect(text.stdout).toContain(
      "1 document waits for a coordinator to choose the provider (the app's Providers screen).",
    );
  }, 250_000);

  it('counts a document once a coordinator chose its provider', async () => {
    srv = await startTestServer({ dataDir });
    const token = await srv.login();
    const anita = (
      await srv.api<{ providers: Array<{ id: string; npi: string | null }> }>(token, 'GET', '/providers')
    ).body.providers.find((p) => p.npi === ANITA_NPI)!;
    expect((await srv.api(token, 'PUT', `/providers/matches/${either}`, { providerId: anita.id })).status).toBe(200);
    await srv.stop();
    const text = await runCli(['providers', '--data-dir', dataDir], {}, 120_000);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Anita R. Sehgal  NPI ${ANITA_NPI}  (1 documents; id `);
    expect(text.stdout).not.toContain('for a coordinator to choose');
  }, 250_000);
});
