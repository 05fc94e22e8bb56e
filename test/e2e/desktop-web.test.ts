/**
 * The desktop UI in real Chromium against `npm run web` and the real bundled server (embedded
 * store, SQLite, extraction worker): import a folder of generated credential PDFs, watch the
 * queue finish, search by extracted number and name, review a document side by side, correct a
 * value, confirm approving an expired credential and move to the next, read the summary;
 * the offline banner while the server is stopped; the 10,000-row queue stays virtualised.
 * One browser and one app for the whole file; each step builds on the previous one.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import type { LocalBatch } from '../../preload/contract';
import { QueueStore, openQueueDb, queueDbPath } from '../../main/core';
import { generateCredentialFixtures } from '../fixtures/credentials/generate';
import { encryptedPdf, smallTextPdf, truncatedPdf } from '../fixtures/hostile/generate';
import { seriousViolations, type AxeFinding } from './axe';
import { findServerPid, launchChromium, REPO_ROOT, screenshot, startWebApp, type WebApp } from './web-app-harness';

// In-page probes as source text: they run in Chromium, and this file is type-checked for Node.
const INKED_PIXELS = `(() => {
  const el = document.querySelector('[data-testid="pdf-viewer"] canvas');
  const data = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark += 1;
  return dark;
})()`;
const SCROLL_QUEUE = `(async () => {
  const el = document.querySelector('[data-testid="queue-list"]');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
  let maxRows = 0;
  for (let step = 0; step < 60; step++) {
    el.scrollTop += el.scrollHeight / 60;
    await frame();
    await frame();
    maxRows = Math.max(maxRows, el.querySelectorAll('.queue-row').length);
  }
  const last = el.querySelector('.queue-row:last-child .queue-name')?.textContent ?? '';
  return { maxRows, last };
})()`;

let root: string;
let folder: string;
let dataDir: string;
/** File name in the import folder by document type. */
let files: Partial<Record<string, string>>;
let app: WebApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** Serious and critical axe-core findings by screen; the last test expects none. */
const axeFindings: Record<string, AxeFinding[]> = {};

/** Every screen the flow reaches is kept as a screenshot (test-output/screenshots) and checked with axe-core. */
async function checkScreen(name: string): Promise<void> {
  await screenshot(page, name);
  const found = await seriousViolations(page);
  if (found.length > 0) axeFindings[name] = found;
}
const consoleErrors: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'credmate-e2e-'));
  folder = path.join(root, 'credentials');
  dataDir = path.join(root, 'data');
  // One text-layer document of each of five types from the fixture generator, named by type (the
  // Import screen guesses types from names), plus a byte-identical copy and a non-PDF.
  const staging = path.join(root, 'generated');
  const generated = await generateCredentialFixtures({ outDir: staging, count: 12 });
  mkdirSync(folder);
  files = {};
  for (const type of [
    'dea_registration',
    'medical_license',
    'csr_certificate',
    'cme_certificate',
    'cme_transcript',
  ] as const) {
    const entry = generated.find((m) => m.docType === type && !m.scanned) ?? generated.find((m) => m.docType === type);
    if (!entry) throw new Error(`the fixture generator made no ${type} in its first 12 documents`);
    files[type] = `${type.replace('_', '-')}.pdf`;
    copyFileSync(path.join(staging, entry.file), path.join(folder, files[type]));
  }
  // A copy made a day after the original, whose name sorts first: the original is kept, the copy
  // marked duplicate (the scan walks in name order, so it finds the copy first).
  copyFileSync(path.join(folder, files.dea_registration!), path.join(folder, 'a-copy-of-dea.pdf'));
  const made = Date.now() / 1000;
  utimesSync(path.join(folder, files.dea_registration!), made - 86_400, made - 86_400);
  writeFileSync(path.join(folder, 'notes.txt'), 'not a credential');
  // Files the server would refuse, which the preflight catches before upload.
  writeFileSync(path.join(folder, 'password-protected.pdf'), encryptedPdf());
  writeFileSync(path.join(folder, 'damaged-download.pdf'), await truncatedPdf());
  const blank = await PDFDocument.create();
  blank.addPage([612, 792]);
  writeFileSync(path.join(folder, 'blank-page.pdf'), await blank.save());
  // Past the limits this test's server is started with (below): 5 MB, and 21 pages.
  const padded = Buffer.concat([
    Buffer.from(await smallTextPdf('Oversized scan')),
    Buffer.alloc(5 * 1024 * 1024, 0x20),
  ]);
  writeFileSync(path.join(folder, 'large-scan.pdf'), padded);
  const binder = await PDFDocument.create();
  for (let n = 1; n <= 21; n++) binder.addPage([612, 792]).drawText(`Binder page ${n}`, { x: 50, y: 700, size: 12 });
  writeFileSync(path.join(folder, 'long-binder.pdf'), await binder.save());
  // The server's limits, smaller than its defaults so small files show that the preview checks
  // against what the server says (GET /limits), not a copy of its defaults.
  app = await startWebApp(dataDir, {
    CREDMATE_EXTRACTION_MAX_BYTES: String(4 * 1024 * 1024),
    CREDMATE_EXTRACTION_MAX_PAGES: '20',
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.setDefaultTimeout(30_000);
}, 120_000);

afterAll(async () => {
  // Kept for diagnosis: what the app and the page said during this run.
  mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
  writeFileSync(
    path.join(REPO_ROOT, 'test-output/e2e-web.log'),
    `${app?.stderr() ?? ''}\n--- page console errors ---\n${consoleErrors.join('\n')}\n`,
  );
  await browser?.close();
  await app?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('desktop UI over npm run web', () => {
  it('signs in to the bundled server with "Work locally"', async () => {
    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Work on this computer' }).waitFor();
    // The page drops the token from the address bar once it has read it.
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    await checkScreen('01-sign-in');
    await page.getByRole('button', { name: 'Work locally' }).click();
    await page.getByText('local@credmate.localhost').waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Import' }).waitFor();
  }, 120_000);

  it('scans a folder: PDFs with thumbnails, the duplicate and the skipped files with reasons', async () => {
    await page.getByLabel('Folder path').fill(folder);
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    await page.getByText('Scan finished').waitFor();
    const rows = page.locator('.scan-row');
    await expect.poll(() => rows.count()).toBe(12);
    // Each PDF is opened by the preflight (pdf.js, a worker per file, two at a time) before it says Ready.
    await expect.poll(() => page.locator('.scan-row .tone-ok').count(), { timeout: 60_000 }).toBe(5);
    // Of two identical files the earlier one is kept, though its copy is found first.
    await expect(page.locator('.scan-row', { hasText: 'a-copy-of-dea.pdf' }).textContent()).resolves.toContain(
      `Duplicate of ${files.dea_registration}`,
    );
    await expect(
      page.locator('.scan-row', { hasText: files.medical_license! }).locator('.scan-type').textContent(),
    ).resolves.toBe('Medical license');
    await expect(page.locator('.scan-row', { hasText: 'notes.txt' }).textContent()).resolves.toContain(
      'Skipped: not a PDF',
    );
    // Thumbnails of every PDF pdf.js can draw: the five, their copy, the blank, large and long ones.
    await expect.poll(() => page.locator('img.thumb').count(), { timeout: 30_000 }).toBe(9);
    await checkScreen('02-import');
  }, 120_000);

  it('preflight: encrypted, damaged and blank PDFs are named and left out, one is included anyway', async () => {
    const status = (name: string) => page.locator('.scan-row', { hasText: name }).locator('.scan-status');
    await expect
      .poll(() => status('password-protected.pdf').textContent(), { timeout: 60_000 })
      .toBe('Encrypted: A password is needed to open it. Save or print it to PDF without security, then scan again.');
    await expect
      .poll(() => status('damaged-download.pdf').textContent(), { timeout: 60_000 })
      .toBe('Damaged: It is truncated or corrupt and cannot be read. Re-download or re-export it.');
    await expect
      .poll(() => status('blank-page.pdf').textContent(), { timeout: 60_000 })
      .toBe('Nothing to read: Its page has no text and no image: it looks blank.');
    await expect
      .poll(() => status('large-scan.pdf').textContent(), { timeout: 60_000 })
      .toBe('Too large: 5.0 MB; the server accepts up to 4 MB. Split or compress the PDF.');
    await expect
      .poll(() => status('long-binder.pdf').textContent(), { timeout: 60_000 })
      .toBe('Too many pages: 21 pages; the server accepts up to 20. Split it into one document per credential.');
    await expect(page.getByLabel('Include password-protected.pdf anyway').isChecked()).resolves.toBe(false);
    await expect
      .poll(() => page.getByTestId('queue-form-summary').textContent())
      .toContain('5 files have problems and are left out unless ticked');
    await page.getByRole('button', { name: 'Upload 5 files now' }).waitFor();
    await checkScreen('02b-import-preflight');
    // The coordinator includes the damaged file anyway: it is uploaded and fails on the server.
    await page.getByLabel('Include damaged-download.pdf anyway').check();
    await expect.poll(() => status('damaged-download.pdf').textContent()).toContain('Included anyway.');
  }, 120_000);

  it('uploads the batch and the queue finishes', async () => {
    await page.getByRole('button', { name: 'Upload 6 files now' }).click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await expect.poll(() => page.locator('.queue-row[data-state="uploaded"]').count(), { timeout: 60_000 }).toBe(6);
    await checkScreen('03-queue');
  });

  it('lists the documents once extraction has read them', async () => {
    await page.getByRole('button', { name: 'Documents' }).click();
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    // Extraction runs in the server's worker process; the change feed brings the statuses here.
    await expect
      .poll(() => page.locator('tr[data-status="review_pending"]').count(), { timeout: 90_000, interval: 1000 })
      .toBe(5);
    // The damaged file included anyway failed on the server, as the preflight said it would.
    await expect.poll(() => page.locator('tr[data-status="failed"]').count(), { timeout: 60_000 }).toBe(1);
    await checkScreen('04-documents');
    // The Queue rows show each file's document status too (the change-feed sync records it).
    await page.getByRole('button', { name: 'Queue' }).click();
    await expect
      .poll(() => page.locator('.queue-row [data-testid="extraction-outcome"]', { hasText: 'Review pending' }).count())
      .toBe(5);
    // Upload and extraction outcomes are separate badges; totals add up to the files.
    await expect(
      page.locator('.queue-row[data-state="uploaded"] [data-testid="upload-outcome"]').allTextContents(),
    ).resolves.toEqual(['Uploaded', 'Uploaded', 'Uploaded', 'Uploaded', 'Uploaded', 'Uploaded']);
    // The document that failed extraction counts as failed, not uploaded: the totals add up to 6.
    await expect.poll(() => page.getByTestId('count-failed').textContent()).toBe('1');
    await expect(page.getByTestId('count-uploaded').textContent()).resolves.toBe('5');
    await expect(page.getByTestId('transfer-state').textContent()).resolves.toBe('Nothing to upload');
    await page.getByRole('button', { name: 'Documents' }).click();
    // Sort and search run against the local mirror.
    await page.getByLabel('Sort by').selectOption('fileName');
    await page.getByRole('button', { name: 'Sort ascending' }).click();
    await expect
      .poll(() => page.locator('.documents-table tbody tr').first().textContent())
      .toContain(files.cme_certificate!);
    await page.getByLabel('Search').fill('dea-reg');
    await expect.poll(() => page.locator('.documents-table tbody tr').count()).toBe(1);
    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.locator('.documents-table tbody tr').count()).toBe(6);

    // Search by what extraction read (the mirror indexes each extracted document's details),
    // and the Provider column shows the extracted name.
    const list = await app.rpc<{ items: Array<{ id: string; fileName: string }> }>('documents.list', {
      search: files.dea_registration,
    });
    const dea = await app.rpc<DocumentDetail>('documents.get', { id: list.items[0]!.id });
    const deaNumber = String(dea.extraction?.fields.deaNumber?.value ?? '');
    const registrant = String(dea.extraction?.fields.registrantName?.value ?? '');
    expect(deaNumber).toMatch(/^[A-Z]{2}\d{7}$/);
    expect(registrant.length).toBeGreaterThan(3);
    await page.getByLabel('Search').fill(deaNumber.toLowerCase());
    await expect
      .poll(() => page.locator('.documents-table tbody tr').allTextContents(), { timeout: 30_000 })
      .toEqual([expect.stringContaining(files.dea_registration!)]);
    // The Provider column: the provider the server matched it to (its timer may have run), else the extracted name.
    const providerShown = async () => {
      const cell = await page.locator('.documents-table tbody tr td').nth(3).textContent();
      const { items } = await app.rpc<{ items: Array<{ match?: { providerName: string | null } | null }> }>(
        'documents.list',
        { search: deaNumber.toLowerCase() },
      );
      return [registrant, items[0]?.match?.providerName].includes(cell);
    };
    await expect.poll(providerShown).toBe(true);
    // A name word typed as its first letters finds the same document.
    const surname = registrant.split(/[^A-Za-z]+/).filter((w) => w.length >= 4)[0]!;
    await page.getByLabel('Search').fill(surname.slice(0, 4));
    await expect
      .poll(() => page.locator('.documents-table tbody tr').allTextContents())
      .toContainEqual(expect.stringContaining(files.dea_registration!));
    // An activity title of the transcript finds it.
    const tlist = await app.rpc<{ items: Array<{ id: string }> }>('documents.list', { search: files.cme_transcript });
    const transcript = await app.rpc<DocumentDetail>('documents.get', { id: tlist.items[0]!.id });
    const firstTitle = String(
      (transcript.extraction?.fields.activities?.value as Array<{ title: string }> | undefined)?.[0]?.title ?? '',
    );
    const titleWords = firstTitle
      .split(/[^A-Za-z]+/)
      .filter((w) => w.length >= 6)
      .slice(0, 2)
      .join(' ');
    expect(titleWords).not.toBe('');
    await page.getByLabel('Search').fill(titleWords);
    await expect
      .poll(() => page.locator('.documents-table tbody tr').allTextContents())
      .toContainEqual(expect.stringContaining(files.cme_transcript!));
    await checkScreen('04b-documents-search');
    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.locator('.documents-table tbody tr').count()).toBe(6);
  }, 180_000);

  it('a failed document shows why, offers no review actions, and Next/Previous walk past it', async () => {
    // The list is sorted by file name: csr-certificate, damaged-download (failed), dea-registration.
    await page.getByRole('button', { name: 'damaged-download.pdf', exact: true }).click();
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('Failed');
    await page.getByText('Processing failed:').waitFor();
    for (const action of ['Approve', 'Reject', 'Save corrections'])
      await expect(page.getByRole('button', { name: action, exact: true }).count()).resolves.toBe(0);
    // Nothing was read from it: no field rows, so no stray 'NPI – Not found'.
    await expect(page.locator('.field-card').count()).resolves.toBe(0);
    // Nor are the keys of those actions listed among the shortcuts.
    await expect(page.locator('.shortcuts dd').allTextContents()).resolves.not.toContain('Approve');
    await expect.poll(() => page.getByRole('button', { name: 'Re-run extraction' }).isEnabled()).toBe(true);
    await checkScreen('05a-review-failed');
    await page.getByRole('button', { name: 'Documents' }).click();
    await page.getByRole('button', { name: files.csr_certificate!, exact: true }).click();
    await expect.poll(() => page.locator('#review-heading').textContent()).toBe(files.csr_certificate);
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => page.locator('#review-heading').textContent()).toBe(files.dea_registration);
    await page.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(() => page.locator('#review-heading').textContent()).toBe(files.csr_certificate);
    await page.getByRole('button', { name: 'Documents' }).click();
  });

  it('reviews a document: PDF rendered, field highlighted, value corrected, approved', async () => {
    const deaFile = files.dea_registration!;
    await page.getByRole('button', { name: deaFile, exact: true }).click();
    await page.getByTestId('review-status').waitFor();
    await expect(page.getByTestId('review-status').textContent()).resolves.toBe('Review pending');
    const canvas = page.locator('[data-testid="pdf-viewer"] canvas[data-rendered="true"]');
    await canvas.waitFor();
    // A rendered page has ink on it: count dark pixels on the canvas.
    const inked = await page.evaluate<number>(INKED_PIXELS);
    expect(inked).toBeGreaterThan(500);

    await page.locator('.field-card[data-field="deaNumber"]').click();
    const highlight = page.getByTestId('field-highlight');
    await highlight.waitFor();
    const box = await highlight.boundingBox();
    expect(box && box.width > 4 && box.height > 4).toBe(true);
    await checkScreen('05-review-highlight');

    // Keyboard: F moves to the next field in review order (shortcuts are listed on screen).
    await page.getByText('Keyboard shortcuts').waitFor();
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    const next = await page.locator('.field-card[data-field="deaNumber"] + .field-card').getAttribute('data-field');
    await page.keyboard.press('f');
    await expect.poll(() => page.locator('.field-card.selected').getAttribute('data-field')).toBe(next);

    const input = page.locator('#field-registrantName');
    await input.fill('Corrected Registrant');
    // An expired credential is not approved without a word: the confirmation names it.
    await page.locator('#field-expirationDate').fill('2020-01-31');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    const confirm = page.getByTestId('approve-confirm');
    await confirm.waitFor();
    await expect(confirm.textContent()).resolves.toContain('The credential expired on 2020-01-31.');
    await checkScreen('06-review-confirm');
    // Esc returns to the field named first, approving nothing.
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    const firstNamed = await page.locator('.field-card.selected').getAttribute('data-field');
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.id'))
      .toBe(`field-${firstNamed}`);
    await expect(page.getByTestId('review-status').textContent()).resolves.toBe('Review pending');
    // Enter approves anyway; then the next document waiting for review opens.
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await confirm.waitFor();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'next document waiting for review' }).textContent())
      .toBe(`Approved ${deaFile}. This is the next document waiting for review.`);
    await expect.poll(() => page.locator('#review-heading').textContent()).not.toBe(deaFile);
    await expect(page.getByTestId('review-status').textContent()).resolves.toBe('Review pending');
    await checkScreen('06-review-approved-next');

    const docs = await app.rpc<{ items: Array<{ id: string; fileName: string }> }>('documents.list', {
      search: deaFile,
    });
    const id = docs.items[0]!.id;
    const detail = await app.rpc<DocumentDetail>('documents.get', { id });
    expect(detail.status).toBe('approved');
    expect(detail.corrections.registrantName?.value).toBe('Corrected Registrant');

    // The last approval can be undone: the document is back to review, its corrections kept.
    await page.getByRole('button', { name: `Undo approval of ${deaFile}` }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'undone' }).textContent())
      .toBe(`Approval of ${deaFile} undone: it is waiting for review again.`);
    await expect(page.locator('#review-heading').textContent()).resolves.toBe(deaFile);
    await expect(page.getByTestId('review-status').textContent()).resolves.toBe('Review pending');
    await page.locator('[data-testid="pdf-viewer"] canvas[data-rendered="true"]').waitFor();
    await checkScreen('06c-review-approval-undone');
    const reopened = await app.rpc<DocumentDetail>('documents.get', { id });
    expect(reopened.status).toBe('review_pending');
    expect(reopened.corrections.registrantName?.value).toBe('Corrected Registrant');
    // Approved again (the expired date still asks first), so the summary below counts one approval.
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await confirm.waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#review-heading').textContent()).not.toBe(deaFile);
    await expect.poll(async () => (await app.rpc<DocumentDetail>('documents.get', { id })).status).toBe('approved');
  }, 120_000);

  it("edits a transcript's activities as a table: a wrong cell is named, rows moved and added, saved as activities", async () => {
    await page.getByRole('button', { name: 'Documents' }).click();
    await page.getByRole('button', { name: files.cme_transcript!, exact: true }).click();
    const table = page.locator('.field-card[data-field="activities"] table');
    await table.waitFor();
    const list = await app.rpc<{ items: Array<{ id: string }> }>('documents.list', { search: files.cme_transcript });
    const id = list.items[0]!.id;
    const before = (await app.rpc<DocumentDetail>('documents.get', { id })).extraction?.fields.activities
      ?.value as Array<{ title: string }>;
    expect(before.length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(before.length);

    await page.getByLabel('Activity 2 credits').fill('two');
    await expect(table.locator('tr[data-row="2"] .cell-problem').textContent()).resolves.toBe(
      'Credits are a number from 0 to 1000.',
    );
    await page.getByRole('button', { name: 'Save corrections' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Activity 2: Credits are a number from 0 to 1000.');
    await page.getByLabel('Activity 2 credits').fill('1.25');
    await page.getByRole('alert').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Move activity 2 up' }).click();
    await page.getByRole('button', { name: 'Add activity' }).click();
    const n = before.length + 1;
    await page.getByLabel(`Activity ${n} title`).fill('Ethics in Telehealth');
    await page.getByLabel(`Activity ${n} date`).fill('2026-04-01');
    await page.getByLabel(`Activity ${n} credits`).fill('0.5');
    await page.getByLabel(`Activity ${n} credit type`).selectOption('AAFP');
    await checkScreen('06b-review-activities');
    await page.getByRole('button', { name: 'Save corrections' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Corrections saved.' }).count()).toBe(1);

    const saved = (await app.rpc<DocumentDetail>('documents.get', { id })).corrections.activities?.value as Array<{
      title: string;
      credits: number | null;
      completionDate: string | null;
      creditType: string | null;
    }>;
    expect(saved).toHaveLength(n);
    expect(saved[0]).toMatchObject({ title: before[1]!.title, credits: 1.25 });
    expect(saved[1]!.title).toBe(before[0]!.title);
    expect(saved.at(-1)).toEqual({
      title: 'Ethics in Telehealth',
      provider: null,
      completionDate: '2026-04-01',
      credits: 0.5,
      creditType: 'AAFP',
    });
  });

  it('shows the batch summary with counts and charts', async () => {
    await page.getByRole('button', { name: 'Batch summary' }).click();
    const figures = page.getByTestId('summary-figures');
    await figures.waitFor();
    await expect.poll(() => figures.textContent()).toContain('Approved1');
    // Every document's processing time is charted, and each of their extracted fields' confidence.
    await expect.poll(() => page.getByTestId('chart-processing-time').getAttribute('data-total')).toBe('5');
    expect(Number(await page.getByTestId('chart-confidence').getAttribute('data-total'))).toBeGreaterThan(4);
    // Total time from the first document to the last result, each type's row (the failed file has
    // none: a row of its own), and the failure with its reason.
    await expect(page.getByTestId('summary-total-time').textContent()).resolves.toMatch(/^\d+ (s|min \d+ s)$/);
    await expect.poll(() => page.locator('[data-testid="summary-by-type"] tbody tr').count()).toBe(6);
    await expect(
      page.locator('[data-testid="summary-by-type"] tr[data-doc-type="cme_transcript"] td').allTextContents(),
    ).resolves.toEqual(['1', '1', '0', '0', '0']);
    await expect(page.getByTestId('summary-failures').getByRole('heading').textContent()).resolves.toBe(
      'Failed documents (1)',
    );
    await expect(page.getByTestId('summary-failures').textContent()).resolves.toContain('damaged-download.pdf');
    await checkScreen('07-summary');
    const batches = await app.rpc<LocalBatch[]>('batches.listLocal');
    const csv = await app.rpc<string>('batches.exportCsv', { batchId: batches[0]!.serverBatchId });
    expect(csv.split('\r\n')[0]).toContain('registrantName');
    expect(csv).toContain('Corrected Registrant');
  });

  it('re-runs a failed document (it fails again), replaces its file, then an admin removes it', async () => {
    await page.getByRole('button', { name: 'Documents' }).click();
    await page.getByRole('button', { name: 'damaged-download.pdf', exact: true }).click();
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('Failed');
    const list = await app.rpc<{ items: Array<{ id: string }> }>('documents.list', { search: 'damaged-download' });
    const id = list.items[0]!.id;
    const before = await app.rpc<DocumentDetail>('documents.get', { id });
    await page.getByRole('button', { name: 'Re-run extraction' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'started again' }).textContent())
      .toBe('Extraction of damaged-download.pdf started again.');
    // The server ran it again: a newer failure (the file is still truncated).
    await expect
      .poll(async () => (await app.rpc<DocumentDetail>('documents.get', { id })).updatedAt, { timeout: 60_000 })
      .not.toBe(before.updatedAt);
    await expect
      .poll(async () => (await app.rpc<DocumentDetail>('documents.get', { id })).status, { timeout: 60_000 })
      .toBe('failed');
    await expect.poll(() => page.getByTestId('review-status').textContent(), { timeout: 30_000 }).toBe('Failed');
    // Replaced by another file, which the server reads instead: this one is password-protected, so
    // it fails again, now for that reason (the new bytes were read, not the old ones).
    const replacement = path.join(folder, 'replacement-scan.pdf');
    writeFileSync(replacement, encryptedPdf());
    await page.getByRole('button', { name: 'Replace file…' }).click();
    await page.getByLabel('Path of the PDF to use instead').fill(replacement);
    await page.getByRole('button', { name: 'Replace and read again' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'replaced by' }).textContent(), { timeout: 30_000 })
      .toMatch(/^damaged-download\.pdf replaced by .+: it is being read again\.$/);
    await expect
      .poll(async () => (await app.rpc<DocumentDetail>('documents.get', { id })).failureReason ?? '', {
        timeout: 60_000,
      })
      .toMatch(/password/i);
    await expect.poll(() => page.getByTestId('review-status').textContent(), { timeout: 30_000 }).toBe('Failed');
    // Removing asks first, naming the file.
    await page.getByRole('button', { name: 'Remove…' }).click();
    await expect(page.getByRole('alertdialog').textContent()).resolves.toMatch(/^Remove \S+\.pdf from the server\?/);
    await checkScreen('05b-review-failed-remove');
    await page.getByRole('button', { name: 'Remove document' }).click();
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    await expect
      .poll(() => page.getByRole('button', { name: 'damaged-download.pdf', exact: true }).count(), { timeout: 30_000 })
      .toBe(0);
    await expect(app.rpc('documents.get', { id })).rejects.toThrow();
  }, 120_000);

  it('shows the offline banner while the server is stopped, and clears it when it is back', async () => {
    const pid = findServerPid(dataDir);
    expect(pid).not.toBeNull();
    await page.getByRole('button', { name: 'Queue' }).click();
    // SIGSTOP freezes the real server process: requests time out exactly as on a dead link.
    process.kill(pid!, 'SIGSTOP');
    try {
      await page.getByTestId('offline-banner').waitFor({ timeout: 45_000 });
      await expect(page.getByTestId('offline-banner').textContent()).resolves.toContain(
        'uploads will continue by themselves',
      );
      await checkScreen('08-offline');
    } finally {
      process.kill(pid!, 'SIGCONT');
    }
    await page.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 45_000 });
  });

  it('keeps a 10,000-row queue virtualised while it scrolls to the end', async () => {
    const db = openQueueDb(queueDbPath(dataDir));
    try {
      const store = new QueueStore(db);
      const batch = store.createBatch('Ten thousand');
      const files = Array.from({ length: 10_000 }, (_, i) => ({
        path: path.join(folder, `bulk-${i}.pdf`),
        relPath: `bulk/provider-${String(i).padStart(5, '0')}.pdf`,
        fileName: `provider-${String(i).padStart(5, '0')}.pdf`,
        sizeBytes: 1000 + i,
        mtimeMs: 0,
        sha256: i.toString(16).padStart(64, '0'),
        pages: 1,
      }));
      // Paused, so the engine leaves these made-up files alone.
      store.addFiles(batch.id, files, 'paused');
    } finally {
      db.close();
    }
    await page.getByLabel('Show').selectOption('paused');
    await expect.poll(() => page.locator('.toolbar-count').textContent(), { timeout: 30_000 }).toBe('10000 files');
    // All paused: the overview says so instead of a stale speed and time left.
    await expect.poll(() => page.getByTestId('transfer-state').textContent()).toBe('Paused');
    // Each batch keeps its own figures: the 5 uploaded files and the 10,000 waiting ones are not mixed.
    const bulk = page.locator('[data-testid="batch-figures"] tr[data-batch="Ten thousand"]');
    await expect.poll(() => bulk.locator('[data-figure="waiting"]').textContent()).toBe('10000');
    await expect(bulk.locator('[data-figure="uploaded"]').textContent()).resolves.toBe('0');
    await expect(
      page.locator('[data-testid="batch-figures"] tbody tr').nth(1).locator('[data-figure="uploaded"]').textContent(),
    ).resolves.toBe('5');
    // Cancel all asks first; Esc keeps every file (the paused count is checked below).
    await page.getByRole('button', { name: 'Cancel all' }).click();
    const question = page.getByRole('alertdialog');
    await expect(question.textContent()).resolves.toContain('Cancel all 10000 files not uploaded yet?');
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    await page.getByTestId('queue-list').waitFor();
    const result = await page.evaluate<{ maxRows: number; last: string }>(SCROLL_QUEUE);
    await checkScreen('09-queue-10000');
    // Virtualised: a screenful of rows in the DOM, never ten thousand.
    expect(result.maxRows).toBeLessThan(80);
    expect(result.last).toMatch(/provider-09\d{3}\.pdf/);
  });

  it('resumes one file from its row; a file gone from disk fails with its reason and offers retry', async () => {
    await page.getByRole('button', { name: 'Resume provider-09999.pdf' }).click();
    await page.getByLabel('Show').selectOption('failed');
    const row = page.locator('.queue-row', { hasText: 'provider-09999.pdf' });
    await row.waitFor({ timeout: 60_000 });
    await expect.poll(() => row.locator('.queue-error').textContent()).not.toBe('');
    await row.getByRole('button', { name: 'Retry provider-09999.pdf' }).waitFor();
    await checkScreen('10-queue-failed-file');
    // The other 9,999 stay paused: a per-file action touches that file only.
    const paused = await app.rpc<{ total: number }>('queue.list', { offset: 0, limit: 1, state: 'paused' });
    expect(paused.total).toBe(9_999);
    expect(pageErrors).toEqual([]);
  });

  it('has no serious or critical accessibility violations (axe-core) on any screen it showed', () => {
    expect(Object.keys(axeFindings).length === 0 ? [] : axeFindings).toEqual([]);
  });
});
