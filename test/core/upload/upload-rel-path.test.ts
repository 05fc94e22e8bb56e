/**
 * Issue 18: the client registers each file with its path below the imported folder (never the
 * absolute path), the imported folder's own name first only when it reads as a person's name. The
 * real bundled server stores it on the upload and its document (read back from its SQLite file).
 */
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../main/core/api-client';
import type { BundledServer } from '../../../main/core/bundled-server/start-bundled-server';
import { looksLikePersonFolder, relPathForServer } from '../../../main/core/upload/upload-rel-path';
import { makeEngine, startServerAndClient } from '../fixtures/engine-setup';
import { makePdf } from '../fixtures/make-pdf';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-relpath-');
let server: BundledServer;
let api: ApiClient;

beforeAll(async () => {
  ({ server, api } = await startServerAndClient(join(tmp.dir, 'server-data')));
});
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

describe('relPath sent with each file', () => {
  it('names the imported folder only when it reads as a person, and keeps the innermost folders when too long', () => {
    expect(relPathForServer({ path: '/home/jsmith/Sehgal_Ashok/lic/a.pdf', rel_path: 'lic/a.pdf' })).toBe(
      'Sehgal_Ashok/lic/a.pdf',
    );
    expect(
      relPathForServer({ path: 'C:\\Users\\jsmith\\Downloads\\Doe, Jane\\a.pdf', rel_path: 'Doe, Jane/a.pdf' }),
    ).toBe('Doe, Jane/a.pdf');
    expect(relPathForServer({ path: '/home/jsmith/a.pdf', rel_path: 'a.pdf' })).toBe('a.pdf');
    for (const notAName of ['jsmith', 'Downloads', 'OneDrive - Clinic', 'CME 2024', 'Desktop'])
      expect(looksLikePersonFolder(notAName)).toBe(false);
    for (const name of ['Sehgal_Ashok', 'Ashok Sehgal MD', 'sehgal-ashok', 'Doe, Jane'])
      expect(looksLikePersonFolder(name)).toBe(true);
    const deep = `${Array.from({ length: 60 }, (_, i) => `level-${i}-${'x'.repeat(20)}`).join('/')}/Sehgal_Ashok/a.pdf`;
    const sent = relPathForServer({ path: `/data/${deep}`, rel_path: deep })!;
    expect(sent.length).toBeLessThanOrEqual(1024);
    expect(sent.endsWith('/Sehgal_Ashok/a.pdf')).toBe(true);
  });

  it("never names a home folder, a folder above one, or a volume's root: those name the coordinator", () => {
    for (const path of [
      '/Users/Jane Doe/license.pdf',
      '/home/Jane Doe/license.pdf',
      'C:\\Users\\Jane Doe\\license.pdf',
      '/Volumes/Jane Doe/license.pdf',
      '/media/Jane Doe/license.pdf',
      '/media/jsmith/Jane Doe/license.pdf',
      '/run/media/jsmith/Jane Doe/license.pdf',
      '/mnt/Jane Doe/license.pdf',
      '\\\\Jane Doe\\Ashok Sehgal\\license.pdf',
    ])
      expect(relPathForServer({ path, rel_path: 'license.pdf' }), path).toBe('license.pdf');
    // A person's folder inside a home or on a volume is still named.
    expect(relPathForServer({ path: '/Users/jsmith/Jane Doe/license.pdf', rel_path: 'license.pdf' })).toBe(
      'Jane Doe/license.pdf',
    );
    expect(relPathForServer({ path: '/Volumes/Scans/Jane Doe/license.pdf', rel_path: 'license.pdf' })).toBe(
      'Jane Doe/license.pdf',
    );
    expect(relPathForServer({ path: '\\\\server\\scans\\Jane Doe\\a.pdf', rel_path: 'a.pdf' })).toBe('Jane Doe/a.pdf');
  });

  it("never names this user's home folder or a folder above it, wherever the home is", () => {
    // A home outside /home and /Users, named like a person (HOME is what os.homedir() reads).
    const home = join(tmp.dir, 'Doe Jane', 'Jane Doe');
    mkdirSync(home, { recursive: true });
    const before = process.env.HOME;
    process.env.HOME = realpathSync(home);
    try {
      expect(homedir()).toBe(realpathSync(home));
      expect(relPathForServer({ path: join(homedir(), 'license.pdf'), rel_path: 'license.pdf' })).toBe('license.pdf');
      // The folder above the home, imported whole.
      expect(relPathForServer({ path: join(homedir(), 'license.pdf'), rel_path: 'Jane Doe/license.pdf' })).toBe(
        'Jane Doe/license.pdf',
      );
      expect(relPathForServer({ path: join(homedir(), 'Ashok Sehgal', 'a.pdf'), rel_path: 'a.pdf' })).toBe(
        'Ashok Sehgal/a.pdf',
      );
    } finally {
      process.env.HOME = before;
    }
  });

  it('registers files with their relPath, which the server keeps on the upload and the document', async () => {
    const person = join(tmp.dir, 'imports', 'Sehgal_Ashok');
    mkdirSync(join(person, 'licenses'), { recursive: true });
    writeFileSync(join(person, 'licenses', 'ohio.pdf'), await makePdf('ohio license', 1));
    writeFileSync(join(person, 'dea.pdf'), await makePdf('dea registration', 1));
    const downloads = join(tmp.dir, 'imports', 'Downloads');
    mkdirSync(join(downloads, 'Doe, Jane'), { recursive: true });
    writeFileSync(join(downloads, 'Doe, Jane', 'cme.pdf'), await makePdf('cme certificate', 1));

    const { engine, importFolder, db } = makeEngine(join(tmp.dir, 'client'), api);
    engine.start();
    await importFolder(person);
    await importFolder(downloads);
    await engine.waitIdle();
    expect(engine.queue.counts().byState.uploaded).toBe(3);
    const documentIds = engine.queue.list({ offset: 0, limit: 10 }).items.map((i) => i.documentId as string);
    await engine.stop();
    db.close();

    const serverDb = new Database(join(tmp.dir, 'server-data', 'server', 'credmate.sqlite'), { readonly: true });
    try {
      const rows = serverDb
        .prepare(
          `SELECT d.rel_path AS doc, u.rel_path AS upload FROM documents d JOIN uploads u ON u.id = d.upload_id
           WHERE d.id IN (${documentIds.map(() => '?').join(',')})`,
        )
        .all(...documentIds) as Array<{ doc: string; upload: string }>;
      expect(rows.map((r) => r.doc).sort()).toEqual([
        'Doe, Jane/cme.pdf',
        'Sehgal_Ashok/dea.pdf',
        'Sehgal_Ashok/licenses/ohio.pdf',
      ]);
      for (const r of rows) expect(r.upload).toBe(r.doc);
    } finally {
      serverDb.close();
    }
  });
});
