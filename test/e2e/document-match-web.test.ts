/**
 * Issue 18 in real Chromium over `npm run web` and the bundled server: the Documents table's
 * Provider column shows the provider each document was matched to, "(confirm?)" on the weak
 * match of "A. Sehgal"; search finds that document by the provider's name (it prints only the
 * initial); the mark opens the review, whose match panel names the evidence and score, and the
 * coordinator's confirmation there settles the match in the list.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentListItem } from '../../common/domain';
import { startTestServer } from '../helpers/test-server';
import { uploadSehgalDocuments, uploadWeakSehgalCertificate } from '../server/providers-uploads';
import { seriousViolations } from './axe';
import { launchChromium, screenshot, startWebApp, type WebApp } from './web-app-harness';

let root: string;
let app: WebApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'credmate-match-e2e-'));
  const srv = await startTestServer({ dataDir: root });
  const token = await srv.login();
  await uploadSehgalDocuments(srv, token);
  await uploadWeakSehgalCertificate(srv, token);
  await srv.stop();
  app = await startWebApp(root);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.setDefaultTimeout(30_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

const row = (fileName: string) => page.locator('.documents-table tbody tr', { hasText: fileName });
const providerCell = (fileName: string) => row(fileName).locator('td').nth(3);

describe('document matches over npm run web', () => {
  it('shows each document’s provider, marks the one to confirm, and finds it by the provider', async () => {
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Work locally' }).click();
    await page.getByText('local@credmate.localhost').waitFor({ timeout: 60_000 });
    // Reading providers matches the documents now (else the server's timer does within 30 s).
    await app.rpc('providers.list');
    await expect
      .poll(
        async () =>
          (await app.rpc<{ items: DocumentListItem[] }>('documents.list', {})).items.filter((d) => d.match?.providerId)
            .length,
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(4);
    await page.getByRole('button', { name: 'Documents' }).click();
    await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
    await expect.poll(() => providerCell('cme-aafp-certificate.pdf').textContent()).toBe('Ashok K. Sehgal (confirm?)');
    expect(await providerCell('license-verification-printout.pdf').textContent()).toBe('Ashok K. Sehgal');
    await screenshot(page, 'documents-provider-column');
    expect(await seriousViolations(page)).toEqual([]);

    // "A. Sehgal" prints no "Ashok": only its match finds it.
    await page.getByLabel('Search').fill('ashok k. sehgal');
    await expect.poll(() => page.locator('.documents-table tbody tr').count()).toBe(4);
    expect(await row('cme-aafp-certificate.pdf').count()).toBe(1);
    await page.getByLabel('Search').fill('');
  });

  it('opens the review from the mark, shows the evidence, and settles the match on confirmation', async () => {
    await row('cme-aafp-certificate.pdf').getByRole('button', { name: '(confirm?)' }).click();
    await page.getByRole('heading', { name: 'cme-aafp-certificate.pdf' }).waitFor();
    const panel = page.getByRole('region', { name: 'Provider match' });
    await panel.getByText('needs confirmation').waitFor();
    expect(await panel.textContent()).toMatch(/Matched on name only, score 0\.\d+/);
    await panel.getByText(/Why: .*weak/).waitFor();
    await screenshot(page, 'review-match-to-confirm');
    expect(await seriousViolations(page)).toEqual([]);

    await panel.getByRole('button', { name: 'Confirm Ashok K. Sehgal' }).click();
    // The panel says so at once ("Matched to Ashok K. Sehgal, confirmed.") until the change feed
    // brings the settled match back to the open document, which may be before that shows.
    await panel.getByText('Matched on confirmed by a coordinator, score 1').waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: 'Documents' }).click();
    await expect.poll(() => providerCell('cme-aafp-certificate.pdf').textContent()).toBe('Ashok K. Sehgal');
    expect(await row('(confirm?)').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("opens the provider's page from the Provider column and from the review's match panel", async () => {
    const heading = page.getByRole('heading', { name: /^Ashok K\. Sehgal/, level: 1 });
    await providerCell('cme-aafp-certificate.pdf').getByRole('button', { name: 'Ashok K. Sehgal' }).click();
    await heading.waitFor();
    // The page lists the document the name was clicked on.
    await page.getByText('cme-aafp-certificate.pdf').first().waitFor();
    expect(await page.getByRole('button', { name: 'Providers', exact: true }).getAttribute('aria-current')).toBe(
      'page',
    );

    await page.getByRole('button', { name: 'Documents' }).click();
    await row('license-verification-printout.pdf')
      .getByRole('button', { name: 'license-verification-printout.pdf' })
      .click();
    await page.getByRole('heading', { name: 'license-verification-printout.pdf' }).waitFor();
    const panel = page.getByRole('region', { name: 'Provider match' });
    await panel.getByRole('button', { name: 'Ashok K. Sehgal' }).click();
    await heading.waitFor();
    // The page's way back leads to the list of all providers.
    await page.getByRole('button', { name: '← All providers' }).click();
    await page.getByRole('heading', { name: 'Providers', level: 1 }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
