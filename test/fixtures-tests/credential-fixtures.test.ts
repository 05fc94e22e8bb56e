import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CREDIT_TYPES, DOC_TYPES, FIELDS_BY_DOC_TYPE, SCHEDULES, type CmeActivity } from '../../common/extraction';
import { nameTokens } from '../../bench/extraction-normalise';
import { generateCredentialFixtures, planDocuments, sha256 } from '../fixtures/credentials/generate';
import { formatDate, formatDayRange } from '../fixtures/credentials/dates';
import { isValidDea, isValidNpi } from '../fixtures/credentials/ids';
import { LAYOUTS } from '../fixtures/credentials/layouts';
import { createRng } from '../fixtures/credentials/prng';
import { PdfBuilder } from '../fixtures/credentials/render-pdf';
import type { Truth } from '../fixtures/credentials/types';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'credmate-fixtures-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string; images: number }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
  let text = '';
  let images = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    text += content.items.map((i) => ('str' in i ? i.str : '')).join(' ') + '\n';
    const ops = await page.getOperatorList();
    images += ops.fnArray.filter((f) => f === pdfjs.OPS.paintImageXObject).length;
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, text, images };
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const isLastDayOfMonth = (iso: string): boolean =>
  new Date(`${iso}T00:00:00Z`).getUTCDate() ===
  new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), 0)).getUTCDate();

function checkTruth(docType: (typeof DOC_TYPES)[number], t: Truth): void {
  expect(Object.keys(t).sort()).toEqual([...FIELDS_BY_DOC_TYPE[docType]].sort());
  for (const [k, v] of Object.entries(t)) {
    if (/Date$/.test(k) && v !== null) expect(v, k).toMatch(ISO);
    if (/Name$/.test(k) && typeof v === 'string') expect(nameTokens(v).length, `${k} ${v}`).toBeGreaterThanOrEqual(2);
  }
  if (typeof t.npi === 'string') expect(isValidNpi(t.npi), t.npi).toBe(true);
  if (typeof t.deaNumber === 'string') expect(isValidDea(t.deaNumber), t.deaNumber).toBe(true);
  if (docType === 'dea_registration') expect(isLastDayOfMonth(t.expirationDate as string)).toBe(true);
  if (typeof t.issueDate === 'string' && typeof t.expirationDate === 'string')
    expect(t.issueDate < t.expirationDate).toBe(true);
  if (Array.isArray(t.schedules)) for (const s of t.schedules as string[]) expect(SCHEDULES).toContain(s);
  if (typeof t.creditType === 'string') expect(CREDIT_TYPES).toContain(t.creditType);
  if (typeof t.credits === 'number') expect((t.credits * 4) % 1).toBe(0);
  if (Array.isArray(t.activities)) {
    const rows = t.activities as CmeActivity[];
    expect(rows.length).toBeGreaterThan(1);
    expect(t.totalCredits).toBeCloseTo(
      rows.reduce((s, r) => s + (r.credits ?? 0), 0),
      3,
    );
  }
}

describe('printed date forms', () => {
  it('prints every format month first, and activity ranges across months and years', () => {
    expect(
      ['mdy-slash', 'mdy-dash', 'long', 'iso', 'dmon-upper', 'short-month', 'mdy-slash-nopad'].map((f) =>
        formatDate('2025-03-04', f as never),
      ),
    ).toEqual(['03/04/2025', '03-04-2025', 'March 4, 2025', '2025-03-04', '04-MAR-2025', 'Mar 4, 2025', '3/4/2025']);
    expect(formatDayRange('2025-03-02', '2025-03-04')).toBe('March 2-4, 2025');
    expect(formatDayRange('2025-03-30', '2025-04-01')).toBe('March 30 - April 1, 2025');
    expect(formatDayRange('2025-12-30', '2026-01-01')).toBe('December 30, 2025 - January 1, 2026');
  });
});

describe('credential fixture plan', () => {
  it('covers every docType and layout, about a third scanned', () => {
    const plan = planDocuments(160);
    expect(plan).toHaveLength(160);
    for (const t of DOC_TYPES) expect(plan.filter((p) => p.layout.docType === t).length, t).toBeGreaterThanOrEqual(15);
    for (const l of LAYOUTS) {
      const mine = plan.filter((p) => p.layout === l);
      expect(mine.length, l.name).toBeGreaterThanOrEqual(3);
      expect(
        mine.some((p) => p.scanned),
        l.name,
      ).toBe(true);
    }
    const share = plan.filter((p) => p.scanned).length / plan.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.4);
  });
});

describe('credential layouts', () => {
  it('give truths that follow the spec value rules and print their identifiers and names', async () => {
    for (const layout of LAYOUTS) {
      for (let seed = 1; seed <= 4; seed++) {
        const order = createRng(seed, 'order');
        const pdf = await PdfBuilder.create('t', seed % 2 ? (items) => order.shuffle(items) : undefined);
        const truth = layout.build(createRng(seed, layout.name), pdf);
        checkTruth(layout.docType, truth);
        if (seed > 1) continue;
        const { text } = await pdfText(await pdf.save());
        const flat = text.toUpperCase().replace(/\s+/g, '');
        for (const k of ['deaNumber', 'licenseNumber', 'registrationNumber', 'npi']) {
          const v = truth[k];
          if (typeof v === 'string') expect(flat, `${layout.name} ${k}`).toContain(v.replace(/\s+/g, ''));
        }
        const name = truth.registrantName ?? truth.licenseeName ?? truth.participantName;
        if (typeof name === 'string')
          for (const tok of nameTokens(name)) expect(flat, `${layout.name} name`).toContain(tok);
      }
    }
  });

  it('can store text out of reading order without changing what is printed', async () => {
    const layout = LAYOUTS.find((l) => l.name === 'license-verification-printout') as (typeof LAYOUTS)[number];
    const runs = async (shuffled: boolean): Promise<string> => {
      const order = createRng(3, 'order');
      const pdf = await PdfBuilder.create('t', shuffled ? (items) => order.shuffle(items) : undefined);
      layout.build(createRng(1, layout.name), pdf);
      return (await pdfText(await pdf.save())).text.replace(/\s+/g, '');
    };
    const [plain, shuffled] = [await runs(false), await runs(true)];
    expect(shuffled).not.toBe(plain);
    expect([...shuffled].sort().join('')).toBe([...plain].sort().join(''));
  });

  it('include DEA numbers whose second letter is not the last-name initial, but only a few', () => {
    let mismatched = 0;
    let total = 0;
    for (const layout of LAYOUTS.filter((l) => l.docType === 'dea_registration')) {
      for (let seed = 1; seed <= 40; seed++) {
        const t = layout.build(createRng(seed, layout.name), { addPage: () => fakeSheet } as unknown as PdfBuilder);
        // Middle and last names cannot be told apart here: a letter that matches neither is a mismatch.
        const initials = String(t.registrantName)
          .split(' ')
          .slice(1)
          .filter((w) => !['Jr', 'II', 'III'].includes(w))
          .map((w) => w[0]?.toUpperCase());
        total++;
        if (!initials.includes((t.deaNumber as string)[1])) mismatched++;
      }
    }
    expect(mismatched).toBeGreaterThan(0);
    expect(mismatched / total).toBeLessThan(0.2);
  });
});

// A drawing surface that draws nothing, so truth-only checks skip PDF work.
const fakeSheet = new Proxy(
  {},
  {
    get: (_t, prop) =>
      prop === 'width'
        ? 612
        : prop === 'height'
          ? 792
          : prop === 'wrap'
            ? () => ['x']
            : prop === 'measure'
              ? () => 10
              : prop === 'paragraph'
                ? () => 100
                : () => 0,
  },
);

describe('generateCredentialFixtures', () => {
  it('is deterministic: same seed, same manifest and bytes; another seed, another set', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    const ma = await generateCredentialFixtures({ outDir: a, seed: 7, count: 6 });
    const mb = await generateCredentialFixtures({ outDir: b, seed: 7, count: 6 });
    const mc = await generateCredentialFixtures({ outDir: c, seed: 8, count: 2 });
    expect(mb).toEqual(ma);
    expect(JSON.parse(await readFile(path.join(a, 'manifest.json'), 'utf8'))).toEqual(ma);
    expect(mc).not.toEqual(ma.slice(0, 2));
    expect(new Set(ma.map((e) => e.docType)).size).toBe(6);
    const scanned = ma.find((e) => e.scanned);
    const born = ma.find((e) => !e.scanned);
    expect(scanned && born).toBeTruthy();
    for (const e of [born, scanned]) {
      const file = (e as { file: string }).file;
      expect(sha256(await readFile(path.join(b, file)))).toBe(sha256(await readFile(path.join(a, file))));
    }

    const digital = await pdfText(new Uint8Array(await readFile(path.join(a, (born as { file: string }).file))));
    expect(digital.text.replace(/\s+/g, '').length).toBeGreaterThan(100);
    expect(digital.pages).toBe(born?.pages);
    const scan = await pdfText(new Uint8Array(await readFile(path.join(a, (scanned as { file: string }).file))));
    expect(scan.text.trim()).toBe('');
    expect(scan.images).toBe(scan.pages);
  });
});
