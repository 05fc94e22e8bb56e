import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanFolder, type ScannedFileDetail } from '../../../main/core/scan/scan-folder';
import { makePdf, writeLargePdfLike } from '../fixtures/make-pdf';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir();
const root = join(tmp.dir, 'provider');
const SMALL = 30;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  // Sorted first, as in bench:upload's folder: `large/` before `small/`.
  mkdirSync(join(root, 'large'), { recursive: true });
  mkdirSync(join(root, 'small'), { recursive: true });
  await writeLargePdfLike(join(root, 'large', 'scan-a.pdf'), 40e6);
  await writeLargePdfLike(join(root, 'large', 'scan-b.pdf'), 40e6);
  // A copy of scan-b with the same time: the shorter name is the original, whatever the timing.
  copyFileSync(join(root, 'large', 'scan-b.pdf'), join(root, 'large', 'scan-b copy.pdf'));
  const t = new Date('2026-01-02T03:04:05Z');
  utimesSync(join(root, 'large', 'scan-b.pdf'), t, t);
  utimesSync(join(root, 'large', 'scan-b copy.pdf'), t, t);
  for (let i = 0; i < SMALL; i++)
    writeFileSync(join(root, 'small', `doc-${String(i).padStart(2, '0')}.pdf`), await makePdf(`doc ${i}`, 1));
}, 120_000);
afterAll(() => tmp.cleanup());

describe('scanFolder with large files (issue 17)', () => {
  it('hands small files on without waiting for the large ones sorted before them, and classifies both kinds', async () => {
    const handedOn: ScannedFileDetail[] = [];
    const res = await scanFolder({ paths: [root] }, { onFiles: (group) => handedOn.push(...group) });

    // The first file handed on (the upload can start with it) is a small one: the 120 MB of
    // large files are hashed on their own thread meanwhile.
    expect(handedOn[0]?.relPath).toMatch(/^small\//);
    expect(res.files).toHaveLength(SMALL + 3);
    expect(new Set(handedOn.map((f) => f.id)).size).toBe(SMALL + 3);

    const byRel = new Map(res.files.map((f) => [f.relPath, f]));
    for (const f of res.files) expect(f).toMatchObject({ kind: 'pdf', sha256: sha(join(root, f.relPath)) });
    // Within the large files, walk order and the duplicate rule hold as before.
    const large = res.files.filter((f) => f.relPath.startsWith('large/')).map((f) => f.relPath);
    expect(large).toEqual(['large/scan-a.pdf', 'large/scan-b copy.pdf', 'large/scan-b.pdf']);
    expect(byRel.get('large/scan-b.pdf')?.duplicateOf).toBeNull();
    expect(byRel.get('large/scan-b copy.pdf')?.duplicateOf).toBe(byRel.get('large/scan-b.pdf')?.id);
    expect(res.progress).toMatchObject({ pdfs: SMALL + 3, duplicates: 1, done: true });
    expect(res.progress.hashedBytes).toBe(res.progress.bytes);
  });

  it('stops the large files too when the scan is cancelled', async () => {
    const ctrl = new AbortController();
    const handedOn: ScannedFileDetail[] = [];
    const scan = scanFolder(
      { paths: [root] },
      {
        signal: ctrl.signal,
        onFiles: (group) => {
          handedOn.push(...group);
          ctrl.abort();
        },
      },
    );
    await expect(scan).rejects.toMatchObject({ name: 'AbortError' });
    const count = handedOn.length;
    // A later scan runs on the same threads: it finishes whole, and nothing more came from the first.
    const again = await scanFolder({ paths: [root] });
    expect(again.files).toHaveLength(SMALL + 3);
    expect(handedOn).toHaveLength(count);
  });
});
