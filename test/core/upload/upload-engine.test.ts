import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex as sha } from '../../helpers/pdf-fixtures';
import type { ApiClient } from '../../../main/core/api-client';
import type { BundledServer } from '../../../main/core/bundled-server/start-bundled-server';
import { makeEngine, startServerAndClient } from '../fixtures/engine-setup';
import { makePdf, writeLargePdfLike } from '../fixtures/make-pdf';
import { startProxiedStore, type ProxiedStore } from '../fixtures/proxied-store';
import { makeTempDir } from '../fixtures/temp-dir';

const MIB = 1024 * 1024;
const tmp = makeTempDir('credmate-engine-');
let store: ProxiedStore;
let server: BundledServer;
let api: ApiClient;

beforeAll(async () => {
  store = await startProxiedStore(tmp.dir);
  ({ server, api } = await startServerAndClient(join(tmp.dir, 'server-data'), store.serverEnv));
});
afterAll(async () => {
  await server?.stop();
  await store?.close();
  tmp.cleanup();
});

async function serverDocuments(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let since = 0; ;) {
    const page = await api.changes(since, 500);
    for (const d of page.documents) out.set(d.id, d.sha256);
    since = page.cursor;
    if (!page.hasMore) return out;
  }
}

describe('upload engine against the real server and store', () => {
  it('uploads a folder once (objects equal the local files), then recognises everything as already there', async () => {
    const folder = join(tmp.dir, 'folder-a');
    mkdirSync(folder);
    const local = new Map<string, string>();
    for (let i = 0; i < 4; i++) {
      const b = await makePdf(`doc ${i}`, 1 + i);
      writeFileSync(join(folder, `doc-${i}.pdf`), b);
      local.set(`doc-${i}.pdf`, sha(b));
    }
    await writeLargePdfLike(join(folder, 'big.pdf'), 12 * MIB + 123);
    local.set('big.pdf', sha(readFileSync(join(folder, 'big.pdf'))));
    const before = store.proxy.partBytes();

    const { engine, importFolder, db } = makeEngine(join(tmp.dir, 'client-a'), api);
    engine.start();
    await importFolder(folder);
    await engine.waitIdle();
    const c = engine.queue.counts();
    expect(c.byState.uploaded).toBe(5);
    expect(c.total).toBe(5);
    // Every byte crossed to the store exactly once.
    expect(store.proxy.partBytes() - before).toBe(
      12 * MIB + 123 + [...Array(4).keys()].reduce((n, i) => n + readFileSync(join(folder, `doc-${i}.pdf`)).length, 0),
    );

    const items = engine.queue.list({ offset: 0, limit: 10 }).items;
    for (const item of items) {
      const bytes = await api.downloadContent(item.documentId as string);
      expect(sha(bytes)).toBe(local.get(item.fileName));
    }
    const docs = await serverDocuments();
    expect([...docs.values()].sort()).toEqual([...local.values()].sort());

    // Same folder, same client: nothing new queued.
    const again = await importFolder(folder);
    expect(again.queued.queued).toHaveLength(0);
    expect(again.queued.previous.map((p) => p.state)).toEqual(Array(5).fill('uploaded'));
    await engine.stop();
    db.close();

    // A fresh client (its queue lost): the server answers "duplicate" and no part is sent.
    const fresh = makeEngine(join(tmp.dir, 'client-a2'), api);
    fresh.engine.start();
    const partsBefore = store.proxy.partPuts().length;
    await fresh.importFolder(folder);
    await fresh.engine.waitIdle();
    expect(fresh.engine.queue.counts().byState.duplicate).toBe(5);
    expect(store.proxy.partPuts().length).toBe(partsBefore);
    expect((await serverDocuments()).size).toBe(docs.size);
    await fresh.engine.stop();
    fresh.db.close();
  });

  it('resumes a stopped upload from its recorded parts: only the parts in flight are sent again', async () => {
    const folder = join(tmp.dir, 'folder-b');
    mkdirSync(folder);
    const size = 26 * MIB + 7;
    await writeLargePdfLike(join(folder, 'large.pdf'), size);
    const clientDir = join(tmp.dir, 'client-b');
    const first = makeEngine(clientDir, api, { concurrency: 2 });
    const before = store.proxy.partBytes();
    first.engine.start();
    const partSent = new Promise<void>((resolve) => first.engine.once('part-sent', () => resolve()));
    await first.importFolder(folder);
    await partSent;
    await first.engine.stop();
    const doneParts = first.engine.parts
      .listParts(first.engine.queue.list({ offset: 0, limit: 1 }).items[0]?.id as string)
      .filter((p) => p.state === 'done');
    expect(doneParts.length).toBeGreaterThan(0);
    first.db.close();

    const second = makeEngine(clientDir, api, { concurrency: 2 });
    second.engine.start();
    await second.engine.waitIdle();
    expect(second.engine.queue.counts().byState.uploaded).toBe(1);
    const sent = store.proxy.partBytes() - before;
    // Re-sent at most what two parts in flight (concurrency 2, 5 MiB parts) could carry.
    expect(sent).toBeGreaterThanOrEqual(size);
    expect(sent - size).toBeLessThanOrEqual(2 * 5 * MIB);
    const item = second.engine.queue.list({ offset: 0, limit: 1 }).items[0];
    expect(sha(await api.downloadContent(item?.documentId as string))).toBe(
      sha(readFileSync(join(folder, 'large.pdf'))),
    );
    await second.engine.stop();
    second.db.close();
  });

  it('reports changed, vanished and unreadable files and uploads the rest; retry picks up the new version', async () => {
    const folder = join(tmp.dir, 'folder-c');
    mkdirSync(folder);
    for (const name of ['keep.pdf', 'changed.pdf', 'vanished.pdf', 'becomes-folder.pdf'])
      writeFileSync(join(folder, name), await makePdf(name, 1));
    const { engine, importFolder, db } = makeEngine(join(tmp.dir, 'client-c'), api);
    await importFolder(folder);
    appendFileSync(join(folder, 'changed.pdf'), '\n% edited after queueing\n');
    rmSync(join(folder, 'vanished.pdf'));
    rmSync(join(folder, 'becomes-folder.pdf'));
    mkdirSync(join(folder, 'becomes-folder.pdf'));
    engine.start();
    await engine.waitIdle();
    const byName = new Map(engine.queue.list({ offset: 0, limit: 10 }).items.map((i) => [i.fileName, i]));
    expect(byName.get('keep.pdf')?.state).toBe('uploaded');
    expect(byName.get('changed.pdf')).toMatchObject({ state: 'failed', error: { kind: 'conflict' } });
    expect(byName.get('changed.pdf')?.error?.message).toMatch(/changed on disk/);
    expect(byName.get('vanished.pdf')).toMatchObject({ state: 'failed', error: { kind: 'not_found' } });
    expect(byName.get('becomes-folder.pdf')?.state).toBe('failed');

    await engine.retry({ fileIds: [byName.get('changed.pdf')?.id as string] });
    await engine.waitIdle();
    const changed = engine.queue.getItems([byName.get('changed.pdf')?.id as string])[0];
    expect(changed?.state).toBe('uploaded');
    expect(changed?.sha256).toBe(sha(readFileSync(join(folder, 'changed.pdf'))));
    await engine.stop();
    db.close();
  });

  it('stops a file that changes while its parts are being sent: no part of the new version goes, nothing is completed', async () => {
    const folder = join(tmp.dir, 'folder-e');
    mkdirSync(folder);
    const path = join(folder, 'edited-mid-upload.pdf');
    await writeLargePdfLike(path, 16 * MIB + 5);
    const documentsBefore = (await serverDocuments()).size;
    // One request at a time: part 1 is sent whole before part 2 is read.
    const { engine, importFolder, db } = makeEngine(join(tmp.dir, 'client-e'), api, {
      concurrency: 1,
      beforePartSend: async ({ partNumber }) => {
        if (partNumber === 2) appendFileSync(path, '\n% edited while uploading\n');
      },
    });
    const sent: number[] = [];
    engine.on('part-sent', (p) => sent.push(p.partNumber));
    await importFolder(folder);
    engine.start();
    await engine.waitIdle();
    const [item] = engine.queue.list({ offset: 0, limit: 1 }).items;
    expect(item).toMatchObject({ state: 'failed', error: { kind: 'conflict' } });
    expect(item?.error?.message).toMatch(/changed on disk while it was being uploaded/);
    expect(sent).toEqual([1]);
    expect((await serverDocuments()).size).toBe(documentsBefore);
    await engine.stop();
    db.close();
  });

  it('keeps going through a store outage: no file fails, all complete after it', async () => {
    const folder = join(tmp.dir, 'folder-d');
    mkdirSync(folder);
    for (let i = 0; i < 3; i++) await writeLargePdfLike(join(folder, `scan-${i}.pdf`), 11 * MIB + i);
    const { engine, importFolder, db } = makeEngine(join(tmp.dir, 'client-d'), api, { concurrency: 2 });
    let offline = 0;
    let online = 0;
    engine.on('offline', () => offline++);
    engine.on('online', () => online++);
    engine.start();
    const firstPart = new Promise<void>((resolve) => engine.once('part-sent', () => resolve()));
    await importFolder(folder);
    await firstPart;
    await store.proxy.down();
    // The 30 s outage: long enough for the probe's backoff to grow well past its first steps.
    await new Promise((r) => setTimeout(r, 30_000));
    expect(engine.stats().online).toBe(false);
    await store.proxy.up();
    await engine.waitIdle();
    const c = engine.queue.counts();
    expect(c.byState.failed).toBe(0);
    expect(c.byState.uploaded).toBe(3);
    expect(offline).toBeGreaterThanOrEqual(1);
    // One offline/online cycle per outage (the probe may see a flap), not one per request.
    expect(offline).toBeLessThanOrEqual(3);
    expect(online).toBe(offline);
    await engine.stop();
    db.close();
  }, 120_000);
});
