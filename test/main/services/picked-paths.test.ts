/**
 * Issue 14, finding 11: main reads local paths for the page only inside what the user picked or
 * dropped in this session.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { PickedPaths } from '../../../main/services/picked-paths';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'credmate-picked-')));
const docs = join(root, 'docs');
const docs2 = join(root, 'docs2');
const sibling = join(root, 'sibling');
for (const dir of [docs, join(docs, 'sub'), docs2, sibling]) mkdirSync(dir);
writeFileSync(join(docs, 'sub', 'license.pdf'), '%PDF-1.4');
writeFileSync(join(sibling, 'a.pdf'), '%PDF-1.4');
writeFileSync(join(sibling, 'b.pdf'), '%PDF-1.4');
symlinkSync('/etc', join(docs, 'etc-link'));
// A link to a folder inside the picked one, whose parent the disk reaches by "..": outside it.
mkdirSync(join(sibling, 'deep'));
symlinkSync(join(sibling, 'deep'), join(docs, 'deep-link'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function refusal(picked: PickedPaths, paths: string[]): Promise<unknown> {
  return picked.assertReadable(paths).then(
    () => 'allowed',
    (err: unknown) => err,
  );
}

describe('picked and dropped paths', () => {
  it('refuses everything while nothing was picked, with a forbidden error that says what to do', async () => {
    const err = await refusal(new PickedPaths(), ['/etc/passwd']);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: 'forbidden' });
    expect((err as Error).message).toMatch(/chose with "Choose folder" or dropped on the window/);
  });

  it('allows a picked folder and what lies beneath it, nothing beside it', async () => {
    const picked = new PickedPaths();
    await picked.add(docs);
    await expect(picked.assertReadable([docs, join(docs, 'sub'), join(docs, 'sub', 'license.pdf')])).resolves.toBe(
      undefined,
    );
    for (const other of [
      sibling,
      docs2,
      root,
      '/etc/passwd',
      join(docs, '..', 'sibling'),
      join(docs, 'sub/../../docs2'),
    ])
      expect(await refusal(picked, [other])).toMatchObject({ kind: 'forbidden' });
  });

  it('refuses a whole request when one of its paths was not picked', async () => {
    const picked = new PickedPaths();
    await picked.add(docs);
    expect(await refusal(picked, [docs, sibling])).toMatchObject({ kind: 'forbidden' });
  });

  it('does not follow a link inside a picked folder out of it', async () => {
    const picked = new PickedPaths();
    await picked.add(docs);
    expect(await refusal(picked, [join(docs, 'etc-link')])).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(picked, [join(docs, 'etc-link', 'passwd')])).toMatchObject({ kind: 'forbidden' });
    // Its text resolves inside the picked folder, but the disk follows the link first: the sibling.
    expect(await refusal(picked, [`${docs}/deep-link/..`])).toMatchObject({ kind: 'forbidden' });
    await expect(picked.assertReadable([`${docs}/sub/`])).resolves.toBe(undefined);
  });

  it('allows a dropped file itself, not the other files of its folder', async () => {
    const picked = new PickedPaths();
    await picked.add(join(sibling, 'a.pdf'));
    await expect(picked.assertReadable([join(sibling, 'a.pdf')])).resolves.toBe(undefined);
    expect(await refusal(picked, [join(sibling, 'b.pdf')])).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(picked, [sibling])).toMatchObject({ kind: 'forbidden' });
  });

  it('ignores relative paths, which name nothing the user chose', async () => {
    const picked = new PickedPaths();
    await picked.add('docs');
    expect(await refusal(picked, ['docs'])).toMatchObject({ kind: 'forbidden' });
  });

  it('counts typed paths as picked only when told to (npm run web: a browser tab has no picker)', async () => {
    const web = new PickedPaths({ typedPathsArePicked: true });
    await expect(web.assertReadable([sibling])).resolves.toBe(undefined);
    await expect(web.allows(join(sibling, 'a.pdf'))).resolves.toBe(true);
  });
});
