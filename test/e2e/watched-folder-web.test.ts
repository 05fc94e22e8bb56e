/**
 * A watched folder in real Chromium over `npm run web` and the bundled server: the folder just
 * scanned is marked watched on the Import screen, a PDF dropped there afterwards is listed under it
 * as queued and appears in the Queue, a fake PDF is listed as left out with its reason, and
 * removing the watch empties the list.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../helpers/pdf-fixtures';
import { launchChromium, startWebApp, type WebApp } from './web-app-harness';

let root: string;
let app: WebApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'credmate-watch-e2e-'));
  mkdirSync(path.join(root, 'scanner'));
  app = await startWebApp(path.join(root, 'data'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(30_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('Watched folders over npm run web', () => {
  it('queues a PDF dropped into a folder marked watched', { timeout: 150_000 }, async () => {
    const folder = path.join(root, 'scanner');
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Work locally' }).click();
    await page.getByText('local@credmate.localhost').waitFor({ timeout: 60_000 });
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
    await page.getByText('Not queued: not-really.pdf (not a PDF').waitFor({ timeout: 60_000 });
    await page.locator('.nav-button', { hasText: 'Queue' }).click();
    await page.locator('.queue-row', { hasText: 'scanned-license.pdf' }).waitFor({ timeout: 60_000 });

    await page.locator('.nav-button', { hasText: 'Import' }).click();
    await page.getByRole('button', { name: `Stop watching ${folder}` }).click();
    await expect.poll(() => watched.count()).toBe(0);
  });
});
