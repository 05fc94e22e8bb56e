/**
 * `credmate import <folder> --watch` as a real process (the compiled command line) against the
 * real server started with small limits: before each settled group it reads GET /api/v1/limits, as
 * the desktop does, and leaves out a PDF over the size or page limit with the reason on its line;
 * the watched-folder preflight (pdf.js in its own thread) leaves out an encrypted and a blank PDF;
 * only the readable PDF within the limits reaches the server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/core/api-client';
import type { BundledServer } from '../../main/core/bundled-server/start-bundled-server';
import { readLocalAccount } from '../../node-shared/local-account-file';
import { startServerAndClient } from '../core/fixtures/engine-setup';
import { makeTempDir } from '../core/fixtures/temp-dir';
import { makeScannedLicense } from '../extraction/make-scan';
import { encryptedPdf } from '../fixtures/hostile/generate';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { startCli, until } from './run-cli';

const tmp = makeTempDir('credmate-watch-limits-');
let server: BundledServer;
let api: ApiClient;

beforeAll(async () => {
  ({ server, api } = await startServerAndClient(join(tmp.dir, 'server-data'), {
    CREDMATE_EXTRACTION_MAX_PAGES: '3',
    CREDMATE_EXTRACTION_MAX_BYTES: '100000',
  }));
}, 120_000);
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

describe('credmate import --watch and the server limits', () => {
  it("leaves out PDFs over the server's limits or unreadable, each with the reason on its line", async () => {
    const folder = join(tmp.dir, 'scanner');
    mkdirSync(folder);
    const acct = readLocalAccount(join(tmp.dir, 'server-data'));
    const run = startCli([
      'import',
      folder,
      '--server',
      server.apiUrl,
      `--email=${acct?.email ?? ''}`,
      `--password=${acct?.password ?? ''}`,
      '--data-dir',
      join(tmp.dir, 'client'),
      '--watch',
      '--settle',
      '0.5',
    ]);
    let out = '';
    run.child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    let exited = false;
    void run.done.then(() => (exited = true));
    const see = (text: string) => until(() => out.includes(text) || exited, 120_000, text);
    await see('Watching ');

    const small = await makePdf('cli-watch-limits-small', 1);
    const scan = await makeScannedLicense();
    expect(scan.length).toBeGreaterThan(100_000);
    const blank = await PDFDocument.create();
    blank.addPage([612, 792]);
    writeFileSync(join(folder, 'long.pdf'), await makePdf('cli-watch-limits-long', 5));
    writeFileSync(join(folder, 'scan.pdf'), scan);
    writeFileSync(join(folder, 'locked.pdf'), encryptedPdf());
    writeFileSync(join(folder, 'blank.pdf'), await blank.save());
    writeFileSync(join(folder, 'small.pdf'), small);
    for (const text of [
      'uploaded small.pdf',
      'skipped long.pdf',
      'skipped scan.pdf',
      'skipped locked.pdf',
      'skipped blank.pdf',
    ])
      await see(text);
    expect(exited).toBe(false);
    const lines = out.split('\n');
    const lineOf = (name: string) => lines.find((l) => l.startsWith(`skipped ${name}:`));
    expect(lineOf('long.pdf')).toBe(
      'skipped long.pdf: 5 pages; the server accepts up to 3. Split it into one document per credential.',
    );
    expect(lineOf('scan.pdf')).toBe(
      `skipped scan.pdf: ${Math.ceil(scan.length / 1024)} kB; the server accepts up to 97 kB. Split or compress the PDF.`,
    );
    expect(lineOf('locked.pdf')).toBe(
      'skipped locked.pdf: A password is needed to open it. Save or print it to PDF without security, then scan again.',
    );
    expect(lineOf('blank.pdf')).toBe('skipped blank.pdf: Its page has no text and no image: it looks blank.');
    expect(lines.filter((l) => l.startsWith('queued '))).toEqual([expect.stringMatching(/^queued small\.pdf /)]);

    run.child.kill('SIGINT');
    const { code } = await run.done;
    expect(code).toBe(0);
    const onServer = (await api.changes(0)).documents.map((d) => d.sha256);
    expect(onServer).toEqual([sha256Hex(small)]);
  }, 180_000);

  it('signs in again when the server has ended its session, and still reads the limits', async () => {
    const folder = join(tmp.dir, 'scanner-reauth');
    mkdirSync(folder);
    const acct = readLocalAccount(join(tmp.dir, 'server-data'));
    const run = startCli([
      'import',
      folder,
      '--server',
      server.apiUrl,
      `--email=${acct?.email ?? ''}`,
      `--password=${acct?.password ?? ''}`,
      '--data-dir',
      join(tmp.dir, 'client-reauth'),
      '--watch',
      '--settle',
      '0.5',
    ]);
    let out = '';
    run.child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    let exited = false;
    void run.done.then(() => (exited = true));
    const see = (...texts: string[]) =>
      until(() => texts.some((t) => out.includes(t)) || exited, 120_000, texts.join(' or '));
    await see('Watching ');
    // The server ends every session (as an admin's revocation or its expiry would): the next ask gets 401.
    const serverDb = new Database(join(tmp.dir, 'server-data', 'server', 'credmate.sqlite'));
    try {
      expect(serverDb.prepare('DELETE FROM sessions').run().changes).toBeGreaterThan(0);
    } finally {
      serverDb.close();
    }
    const scan = await makeScannedLicense();
    writeFileSync(join(folder, 'big.pdf'), scan);
    // Without the limits the file would be queued, then refused by the server on upload.
    await see('skipped big.pdf', 'queued big.pdf', 'failed big.pdf');
    expect(out.split('\n').find((l) => l.includes('big.pdf'))).toBe(
      `skipped big.pdf: ${Math.ceil(scan.length / 1024)} kB; the server accepts up to 97 kB. Split or compress the PDF.`,
    );
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(0);
  }, 180_000);
});
