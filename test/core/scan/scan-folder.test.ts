import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanFolder } from '../../../main/core/scan/scan-folder';
import type { ScanProgress } from '../../../preload/contract';
import { makePdf } from '../fixtures/make-pdf';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir();
const root = join(tmp.dir, 'docs');
const isRoot = process.getuid?.() === 0;
let pdf3: Uint8Array;

beforeAll(async () => {
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  pdf3 = await makePdf('license', 3);
  writeFileSync(join(root, 'license.pdf'), pdf3);
  writeFileSync(join(root, 'sub', 'copy-of-license.pdf'), pdf3);
  writeFileSync(join(root, 'sub', 'deeper', 'dea.pdf'), await makePdf('dea', 2));
  writeFileSync(join(root, 'notes.txt'), 'not a pdf');
  writeFileSync(join(root, 'fake.pdf'), 'hello, I only look like a PDF');
  writeFileSync(join(root, 'empty.pdf'), '');
  writeFileSync(join(root, '.hidden.pdf'), pdf3);
  writeFileSync(join(root, 'Thumbs.db'), 'x');
  symlinkSync(root, join(root, 'sub', 'loop-to-root'));
  symlinkSync(join(root, 'nowhere.pdf'), join(root, 'broken-link.pdf'));
  execFileSync('mkfifo', [join(root, 'pipe.pdf')]);
  if (!isRoot) {
    writeFileSync(join(root, 'locked.pdf'), pdf3);
    chmodSync(join(root, 'locked.pdf'), 0o000);
  }
});
afterAll(() => tmp.cleanup());

describe('scanFolder', () => {
  it('classifies every entry, hashes PDFs, counts pages, finds local duplicates and survives loops and bad entries', async () => {
    const progress: ScanProgress[] = [];
    const res = await scanFolder({ paths: [root] }, { onProgress: (p) => progress.push(p) });
    const byRel = new Map(res.files.map((f) => [f.relPath, f]));
    const sha = createHash('sha256').update(pdf3).digest('hex');

    const lic = byRel.get('license.pdf');
    const copy = byRel.get('sub/copy-of-license.pdf');
    expect(lic).toMatchObject({ kind: 'pdf', sha256: sha, pages: 3, sizeBytes: pdf3.length, duplicateOf: null });
    expect(copy).toMatchObject({ kind: 'pdf', sha256: sha });
    // Walk order is deterministic (sorted), whichever comes first is the original.
    expect([lic?.duplicateOf, copy?.duplicateOf].filter(Boolean)).toHaveLength(1);
    expect(byRel.get('sub/deeper/dea.pdf')).toMatchObject({ kind: 'pdf', pages: 2 });

    expect(byRel.get('notes.txt')?.skipReason).toMatch(/not a PDF/);
    expect(byRel.get('fake.pdf')?.skipReason).toMatch(/not a PDF/);
    expect(byRel.get('empty.pdf')?.skipReason).toMatch(/empty/);
    expect(byRel.get('broken-link.pdf')?.skipReason).toMatch(/unreadable/);
    expect(byRel.get('pipe.pdf')?.skipReason).toMatch(/not a regular file/);
    if (!isRoot) expect(byRel.get('locked.pdf')?.skipReason).toMatch(/permission denied/);
    expect(byRel.has('.hidden.pdf')).toBe(false);
    expect(byRel.has('Thumbs.db')).toBe(false);
    // The loop link leads back to the root, which was already walked: nothing under it twice.
    expect([...byRel.keys()].some((k) => k.includes('loop-to-root'))).toBe(false);

    const last = progress.at(-1);
    expect(last).toMatchObject({ done: true, cancelled: false, pdfs: 3, duplicates: 1 });
    expect(last?.hashedBytes).toBe(pdf3.length * 2 + (byRel.get('sub/deeper/dea.pdf')?.sizeBytes ?? 0));
  });

  it('keeps the earlier-modified of two identical files, whatever the walk order, and reports the flip again', async () => {
    const dir = join(tmp.dir, 'copies');
    mkdirSync(dir);
    // 'a copy.pdf' is walked first but was written a day after 'b original.pdf'.
    const day = 24 * 3600;
    writeFileSync(join(dir, 'a copy.pdf'), pdf3);
    writeFileSync(join(dir, 'b original.pdf'), pdf3);
    writeFileSync(join(dir, 'c later copy.pdf'), pdf3);
    utimesSync(join(dir, 'b original.pdf'), 1_700_000_000, 1_700_000_000);
    utimesSync(join(dir, 'a copy.pdf'), 1_700_000_000 + day, 1_700_000_000 + day);
    utimesSync(join(dir, 'c later copy.pdf'), 1_700_000_000 + 2 * day, 1_700_000_000 + 2 * day);
    // Copies that kept the original's time: the shorter name is the original ('license (1)' adds to 'license').
    writeFileSync(join(dir, 'license (1).pdf'), pdf3.slice(0, -1));
    writeFileSync(join(dir, 'license.pdf'), pdf3.slice(0, -1));
    utimesSync(join(dir, 'license (1).pdf'), 1_700_000_000, 1_700_000_000);
    utimesSync(join(dir, 'license.pdf'), 1_700_000_000, 1_700_000_000);

    const reported: Array<{ relPath: string; duplicateOf: string | null }> = [];
    const progress: ScanProgress[] = [];
    const res = await scanFolder(
      { paths: [dir] },
      {
        onFiles: (files) => reported.push(...files.map((f) => ({ relPath: f.relPath, duplicateOf: f.duplicateOf }))),
        onProgress: (p) => progress.push(p),
      },
    );
    const byRel = new Map(res.files.map((f) => [f.relPath, f]));
    const original = byRel.get('b original.pdf')!;
    expect(original.duplicateOf).toBeNull();
    expect(byRel.get('a copy.pdf')?.duplicateOf).toBe(original.id);
    expect(byRel.get('c later copy.pdf')?.duplicateOf).toBe(original.id);
    expect(byRel.get('license.pdf')?.duplicateOf).toBeNull();
    expect(byRel.get('license (1).pdf')?.duplicateOf).toBe(byRel.get('license.pdf')?.id);
    // The last report of each file is its final state: a listener that keeps the latest copy by id is right.
    const last = new Map(reported.map((r) => [r.relPath, r.duplicateOf]));
    expect(last.get('a copy.pdf')).toBe(original.id);
    expect(last.get('license (1).pdf')).toBe(byRel.get('license.pdf')?.id);
    expect(res.files).toHaveLength(5);
    expect(progress.at(-1)).toMatchObject({ pdfs: 5, duplicates: 3 });
  });

  it('applies include and exclude globs to the path relative to the root', async () => {
    const res = await scanFolder({ paths: [root], include: ['**/*.pdf'], exclude: ['sub/deeper/**'] });
    const rels = res.files
      .filter((f) => f.kind === 'pdf')
      .map((f) => f.relPath)
      .sort();
    expect(rels).toEqual(['license.pdf', 'sub/copy-of-license.pdf']);
    expect(res.files.some((f) => f.relPath === 'notes.txt')).toBe(false);
  });

  it('reuses a known hash instead of reading the file, and flags content already queued', async () => {
    let asked = 0;
    const res = await scanFolder(
      { paths: [join(root, 'sub', 'deeper')] },
      { knownSha256: () => (asked++, 'a'.repeat(64)), isQueued: (s) => s === 'a'.repeat(64) },
    );
    expect(asked).toBe(1);
    expect(res.files[0]).toMatchObject({ sha256: 'a'.repeat(64), alreadyQueued: true });
  });

  it('stops when cancelled and says so', async () => {
    const many = join(tmp.dir, 'many');
    mkdirSync(many);
    for (let i = 0; i < 300; i++) writeFileSync(join(many, `f${i}.pdf`), `%PDF-1.4\n${i}`);
    const ctrl = new AbortController();
    const progress: ScanProgress[] = [];
    const run = scanFolder(
      { paths: [many] },
      { signal: ctrl.signal, onProgress: (p) => progress.push(p), onFiles: () => ctrl.abort() },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress.at(-1)).toMatchObject({ cancelled: true, done: true });
    expect(progress.at(-1)?.entriesSeen).toBeLessThan(300);
  });
});
