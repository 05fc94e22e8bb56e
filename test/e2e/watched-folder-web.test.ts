/**
 * A watched folder in real Chromium over `npm run web` and the bundled server (started with a
 * three-page limit): the folder just scanned is marked watched on the Import screen, a PDF dropped
 * there afterwards is listed under it as queued and appears in the Queue; a fake PDF, and PDFs the
 * import preview's checks refuse (encrypted, blank, over the server's page limit), are listed as
 * left out with the preview's reasons and never reach the Queue; after the app restarts the panel
 * lists the same; removing the watch empties the list.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { encryptedPdf } from '../fixtures/hostile/generate';
import { makePdf } from '../helpers/pdf-fixtures';
import { seriousViolations } from './axe';
import { launchChromium, screenshot, startWebApp, type WebApp } from './web-app-harness';

/** The bundled server's page limit, which the watch reads from GET /api/v1/limits. */
const LIMITS = { CREDMATE_EXTRACTION_MAX_PAGES: '3' };

let root: string;
let app: WebApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'credmate-watch-e2e-'));
  mkdirSync(path.join(root, 'scanner'));
  app = await startWebApp(path.join(root, 'data'), LIMITS);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(30_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function blankPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([612, 792]);
  return doc.save();
}

/** Opens the app and works locally (the page may remember the choice after a restart). */
async function openLocally(): Promise<void> {
  await page.goto(app.url);
  const account = page.getByText('local@credmate.localhost');
  const local = page.getByRole('button', { name: 'Work locally' });
  await expect
    .poll(async () => (await account.isVisible()) || (await local.isVisible()), { timeout: 60_000 })
    .toBe(true);
  if (await local.isVisible()) await local.click();
  await account.waitFor({ timeout: 60_000 });
}

describe('Watched folders over npm run web', () => {
  it('queues a PDF dropped into a folder marked watched', { timeout: 170_000 }, async () => {
    const folder = path.join(root, 'scanner');
    await openLocally();
    await page.getByLabel('Folder path').fill(folder);
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    await page.getByText('Scan finished').waitFor();
    await page.getByRole('button', { name: 'Watch “scanner” for new files' }).click();
    const watched = page.getByRole('list', { name: 'Watched folders' }).getByRole('listitem');
    await expect.poll(() => watched.textContent()).toContain(folder);

    writeFileSync(path.join(folder, 'scanned-license.pdf'), await makePdf('watched-e2e', 1));
    await page.getByText('Queued: scanned-license.pdf').waitFor({ timeout: 60_000 });
    // A file that only looks like a PDF is left out, with the scan's reason.
    writeFileSync(path.join(folder, 'not-really.pdf'), 'hello, I only look like a PDF');
    const leftOutList = page.getByRole('list', { name: `Not queued from ${folder}` });
    const leftOutLines = () => leftOutList.getByRole('listitem').allTextContents();
    await expect
      .poll(leftOutLines, { timeout: 60_000 })
      .toContain('not-really.pdf: not a PDF (does not start with %PDF-)');
    // PDFs the server would refuse are left out before upload, in the import preview's words.
    writeFileSync(path.join(folder, 'locked.pdf'), encryptedPdf());
    writeFileSync(path.join(folder, 'blank.pdf'), await blankPdf());
    writeFileSync(path.join(folder, 'long.pdf'), await makePdf('watched-e2e-long', 4));
    const leftOut = [
      'locked.pdf: A password is needed to open it. Save or print it to PDF without security, then scan again.',
      'blank.pdf: Its page has no text and no image: it looks blank.',
      'long.pdf: 4 pages; the server accepts up to 3. Split it into one document per credential.',
    ];
    for (const entry of leftOut) await expect.poll(leftOutLines, { timeout: 60_000 }).toContain(entry);
    const leftOutBefore = (await leftOutLines()).sort();
    expect(leftOutBefore).toHaveLength(4);
    await screenshot(page, 'watched-folder-left-out');
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('.nav-button', { hasText: 'Queue' }).click();
    await page.locator('.queue-row', { hasText: 'scanned-license.pdf' }).waitFor({ timeout: 60_000 });
    // Only the readable file was queued: nothing goes up that the server would refuse.
    await expect.poll(() => page.locator('.queue-row').count()).toBe(1);

    // After a restart the panel lists what the watch queued and left out (kept in the queue database).
    // The watch's first pass there may run before anyone signs in: the limits the server gave last hold.
    await app.stop();
    const restartedAt = new Date().toISOString();
    app = await startWebApp(path.join(root, 'data'), LIMITS);
    await openLocally();
    await page.locator('.nav-button', { hasText: 'Import' }).click();
    await page.getByText('Queued: scanned-license.pdf').waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await leftOutLines()).sort()).toEqual(leftOutBefore);
    // The restart's pass looks at every file again (all arrived after the folder was marked) and
    // tells the four left out anew: long.pdf among them, not queued without a signed-in server.
    type Listed = { recent: { relPath: string }[]; skipped: { relPath: string; at: string }[] };
    const listed = async () => (await app.rpc<Listed[]>('watch.list'))[0];
    await expect
      .poll(async () => (await listed())?.skipped.filter((k) => k.at >= restartedAt).length, { timeout: 60_000 })
      .toBe(4);
    expect((await listed())?.recent.map((r) => r.relPath)).toEqual(['scanned-license.pdf']);
    await page.locator('.nav-button', { hasText: 'Queue' }).click();
    await page.locator('.queue-row', { hasText: 'scanned-license.pdf' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('.queue-row').count()).toBe(1);
    await page.locator('.nav-button', { hasText: 'Import' }).click();

    await page.getByRole('button', { name: `Stop watching ${folder}` }).click();
    await expect.poll(() => watched.count()).toBe(0);
  });
});
