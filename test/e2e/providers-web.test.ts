/**
 * The Providers screens in real Chromium over `npm run web` and the bundled server: three real
 * documents of one provider (extracted, then corrected in review), the daily expiry notice shown
 * once per window, the providers list with expirations, the provider page with its CME progress
 * bars, and one click from a figure to the review of the document behind it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/test-server';
import { SEHGAL_NPI, uploadSehgalDocuments, uploadWeakSehgalCertificate } from '../server/providers-uploads';
import { seriousViolations } from './axe';
import { launchChromium, screenshot, startWebApp, type WebApp } from './web-app-harness';

let root: string;
let app: WebApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** In the page before the app: desktop notifications recorded (title: body) in sessionStorage, which survives a reload. */
const RECORD_NOTIFICATIONS = `
  const Real = window.Notification;
  class Recorded {
    static get permission() { return Real.permission; }
    constructor(title, opts) {
      const told = JSON.parse(sessionStorage.getItem('desktopNotices') || '[]');
      sessionStorage.setItem('desktopNotices', JSON.stringify([...told, title + ': ' + ((opts && opts.body) || '')]));
    }
    close() {}
  }
  Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true });
`;
const desktopNotices = async (): Promise<string[]> =>
  JSON.parse((await page.evaluate<string | null>("sessionStorage.getItem('desktopNotices')")) ?? '[]') as string[];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'credmate-providers-e2e-'));
  // The documents go in through the real server first; the web app then runs its bundled server on the same data.
  const srv = await startTestServer({ dataDir: root });
  const token = await srv.login();
  await uploadSehgalDocuments(srv, token);
  await uploadWeakSehgalCertificate(srv, token);
  await srv.stop();
  app = await startWebApp(root);
  browser = await launchChromium();
  // Notifications granted, as Electron's session does: the desktop notice is recorded instead of shown.
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, permissions: ['notifications'] });
  await page.addInitScript(RECORD_NOTIFICATIONS);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.setDefaultTimeout(30_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('Providers screens over npm run web', () => {
  it('tells of credentials entering an expiry window once, in the app', { timeout: 150_000 }, async () => {
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Work locally' }).click();
    await page.getByText('local@credmate.localhost').waitFor({ timeout: 60_000 });
    await screenshot(page, 'providers-signed-in');
    const notice = page.getByRole('status').filter({ hasText: 'Credentials need attention' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('1 expiring within 30 days, 1 expiring within 60 days');
    expect(await desktopNotices()).toEqual([
      'CredentialMate: Credentials need attention: 1 expiring within 30 days, 1 expiring within 60 days.',
    ]);
    const checkedAgain = page.waitForResponse((r) => r.url().endsWith('/rpc/providers.expiryNotices'));
    await page.reload();
    // The check has run again on load and found nothing new: neither notice is shown twice.
    expect(await (await checkedAgain).json()).toMatchObject({ ok: true, value: [] });
    await page.getByText('local@credmate.localhost').waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Import' }).waitFor();
    expect(await notice.count()).toBe(0);
    expect(await desktopNotices()).toHaveLength(1);
  });

  it('lists the provider with credentials and expirations, confirms a weak match, and opens the provider page with CME progress', async () => {
    await page.getByRole('button', { name: 'Providers' }).click();
    await page.getByRole('heading', { name: 'Providers', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Within 30 days' }).waitFor();
    const row = page.locator('tr', { hasText: SEHGAL_NPI });
    await row.waitFor();
    expect(await row.textContent()).toContain('OH License Expiring');
    await screenshot(page, 'providers-list');
    expect(await seriousViolations(page)).toEqual([]);

    // "A. Sehgal" waits for the coordinator and counts nowhere until confirmed.
    expect(await row.locator('td').nth(3).textContent()).toBe('2');
    const toConfirm = page.locator('li', { hasText: 'cme-aafp-certificate.pdf' });
    expect(await toConfirm.textContent()).toContain('weak');
    await toConfirm.getByRole('button', { name: 'It is Ashok K. Sehgal' }).click();
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('3');
    expect(await page.getByRole('heading', { name: 'To confirm' }).count()).toBe(0);

    await row.getByRole('button', { name: 'Ashok K. Sehgal' }).click();
    await page.getByRole('heading', { name: /Ashok K\. Sehgal/ }).waitFor();
    await page.getByRole('heading', { name: 'OH license 35.123456' }).waitFor();
    expect(await page.locator('progress').count()).toBe(2);
    expect(await page.getByText('50 hours per cycle: 3 of 50 h (47 h short)').count()).toBe(1);
    await screenshot(page, 'provider-page');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('goes from a figure to the review of the document behind it in one click', async () => {
    await page.getByText('2 activities counted').first().click();
    await page.getByRole('button', { name: 'certificate' }).last().click();
    await page.getByRole('heading', { name: /^cme-a[a-z]+-certificate\.pdf$/ }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('saves the expirations as a CSV file and as an iCalendar file', async () => {
    await page.getByRole('button', { name: 'Providers' }).click();
    await page.getByRole('heading', { name: 'Providers', level: 1 }).waitFor();
    const saved = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: button }).click(),
      ]);
      return { file: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
    };
    const csv = await saved('Export CSV');
    expect(csv.file).toBe('expirations.csv');
    const rows = csv.text.trim().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain(`Ashok K. Sehgal,`);
    expect(rows[1]).toContain(',dea_registration,OH,');
    const ics = await saved('Export calendar (.ics)');
    expect(ics.file).toBe('expirations.ics');
    expect(ics.text.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(ics.text.match(/BEGIN:VEVENT/g)).toHaveLength(2);
  });

  it('splits a document off into a new provider and merges it back, from the provider page', async () => {
    await page.locator('tr', { hasText: SEHGAL_NPI }).getByRole('button', { name: 'Ashok K. Sehgal' }).click();
    await page.getByRole('heading', { name: /Ashok K\. Sehgal/ }).waitFor();
    const documents = page.getByRole('checkbox', { name: /^Split off / });
    await documents.first().waitFor();
    expect(await documents.count()).toBe(4);

    await page.getByRole('checkbox', { name: 'Split off cme-aafp-certificate.pdf' }).check();
    await page.getByLabel('New provider for the 1 ticked document').fill('Anil Sehgal');
    await page.getByRole('button', { name: 'Split off', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '1 document split off into Anil Sehgal.' }).waitFor();
    await expect.poll(() => documents.count()).toBe(3);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Open Anil Sehgal' }).click();
    await page.getByRole('heading', { name: 'Anil Sehgal', level: 1 }).waitFor();
    await expect.poll(() => documents.count()).toBe(1);

    await page.getByRole('button', { name: '← All providers' }).click();
    await page.locator('tr', { hasText: SEHGAL_NPI }).getByRole('button', { name: 'Ashok K. Sehgal' }).click();
    await page.getByRole('heading', { name: /Ashok K\. Sehgal/ }).waitFor();
    await page.getByLabel('Same person as').selectOption({ label: 'Anil Sehgal' });
    await page.getByRole('button', { name: 'Merge Anil Sehgal into Ashok K. Sehgal' }).click();
    await page.getByRole('status').filter({ hasText: 'Anil Sehgal merged into Ashok K. Sehgal.' }).waitFor();
    await expect.poll(() => documents.count()).toBe(4);
    const providers = await app.rpc<Array<{ name: string }>>('providers.list');
    expect(providers.map((p) => p.name)).toEqual(['Ashok K. Sehgal']);
    expect(pageErrors).toEqual([]);
  });

  it("sets an activity's topics by hand, by keyboard, and the requirement bar follows", async () => {
    const bar = page.getByText(/^A licensee’s duty to report misconduct: /);
    expect(await bar.textContent()).toContain('2 of 1 h');
    await page.getByText('Topics of each activity (correct by hand)').click();
    const open = page.getByRole('button', { name: 'Set topics of Duty to Report Misconduct' });
    await open.focus();
    await page.keyboard.press('Enter');
    const picker = page.getByRole('group', { name: 'Topics of Duty to Report Misconduct' });
    expect(await picker.getByRole('checkbox', { name: 'Duty to report' }).isChecked()).toBe(true);
    await picker.getByRole('button', { name: 'No topic' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Duty to Report Misconduct now counts for no topic.' }).waitFor();
    await expect.poll(() => bar.textContent()).toContain('0 of 1 h (1 h short)');
    expect(await page.getByText('topic: Duty to report ("Duty to Report" in the title)').count()).toBe(0);

    await open.click();
    await picker.getByRole('checkbox', { name: 'Duty to report' }).check();
    await picker.getByRole('button', { name: 'Save topics' }).click();
    await page.getByRole('status').filter({ hasText: 'topics set to Duty to report.' }).waitFor();
    await expect.poll(() => bar.textContent()).toContain('2 of 1 h');
    expect(await page.getByText('topic: Duty to report (set by a coordinator)').count()).toBe(2);
    await screenshot(page, 'provider-topics');
    expect(await seriousViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
