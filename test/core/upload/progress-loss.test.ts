import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex as sha } from '../../helpers/pdf-fixtures';
import type { ApiClient } from '../../../main/core/api-client';
import type { BundledServer } from '../../../main/core/bundled-server/start-bundled-server';
import { makeEngine, startServerAndClient } from '../fixtures/engine-setup';
import { makePdf } from '../fixtures/make-pdf';
import { startProxiedStore, type ProxiedStore } from '../fixtures/proxied-store';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-loss-');
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

describe('a progress write that rolls back the whole group', () => {
  it('fails only its own file; the other files of its turn are sent again, not completed without their parts', async () => {
    const folder = join(tmp.dir, 'folder');
    mkdirSync(folder);
    const local = new Map<string, string>();
    for (let i = 0; i < 6; i++) {
      const b = await makePdf(`loss ${i}`, 1);
      writeFileSync(join(folder, `doc-${i}.pdf`), b);
      local.set(`doc-${i}.pdf`, sha(b));
    }
    const { engine, importFolder, db } = makeEngine(join(tmp.dir, 'client'), api);
    await importFolder(folder);
    const last = engine.queue.list({ offset: 0, limit: 10 }).items.find((f) => f.fileName === 'doc-5.pdf');
    expect(last).toBeDefined();
    // The file's begin (one register answer carries all six) rolls back the transaction it shares
    // with the other files' begins, as SQLITE_FULL or SQLITE_IOERR would.
    db.exec(`CREATE TRIGGER boom BEFORE UPDATE OF state ON files
             WHEN NEW.id = '${last?.id}' AND NEW.state = 'uploading'
             BEGIN SELECT RAISE(ROLLBACK, 'forced rollback'); END`);
    engine.start();
    await engine.waitIdle();
    const items = engine.queue.list({ offset: 0, limit: 10 }).items;
    const failed = items.filter((i) => i.state === 'failed');
    expect(failed.map((i) => [i.fileName, i.error?.message])).toEqual([['doc-5.pdf', 'forced rollback']]);
    const done = items.filter((i) => i.state !== 'failed');
    expect(done.map((i) => i.state)).toEqual(Array(5).fill('uploaded'));
    for (const item of done) {
      const bytes = await api.downloadContent(item.documentId as string);
      expect(sha(bytes)).toBe(local.get(item.fileName));
    }
    await engine.stop();
    db.close();
  });
});

describe('two engines on one queue file (a second import or a watch)', () => {
  it("an engine with nothing left of its own never requeues the other's file in flight", async () => {
    const dir = join(tmp.dir, 'shared-client');
    for (const name of ['mine', 'theirs']) mkdirSync(join(tmp.dir, name));
    for (let i = 0; i < 3; i++) writeFileSync(join(tmp.dir, 'mine', `m-${i}.pdf`), await makePdf(`mine ${i}`, 1));
    writeFileSync(join(tmp.dir, 'theirs', 't.pdf'), await makePdf('theirs', 2));
    const sentByOne = new Set<string>();
    const one = makeEngine(dir, api, { beforePartSend: async (p) => void sentByOne.add(p.fileId) });
    one.engine.start();
    await one.engine.waitIdle();
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let reached = (): void => undefined;
    const atGate = new Promise<void>((r) => (reached = r));
    const two = makeEngine(dir, api, {
      beforePartSend: async () => {
        reached();
        await gate;
      },
    });
    two.engine.start();
    await two.importFolder(join(tmp.dir, 'theirs'));
    await atGate;
    const theirs = two.engine.queue.list({ offset: 0, limit: 10 }).items.find((i) => i.fileName === 't.pdf');
    await one.importFolder(join(tmp.dir, 'mine'));
    const mineDone = (): boolean =>
      one.engine.queue
        .list({ offset: 0, limit: 10 })
        .items.filter((i) => i.fileName.startsWith('m-') && i.state === 'uploaded').length === 3;
    while (!mineDone()) await new Promise((r) => setTimeout(r, 20));
    // Room for engine one's pump after its last file (before: it queued t.pdf again and sent it too).
    await new Promise((r) => setTimeout(r, 500));
    expect(sentByOne.has(theirs?.id as string)).toBe(false);
    release();
    await two.engine.waitIdle();
    await one.engine.waitIdle();
    expect(two.engine.queue.list({ offset: 0, limit: 10 }).items.map((i) => i.state)).toEqual(
      Array(4).fill('uploaded'),
    );
    await one.engine.stop();
    await two.engine.stop();
    one.db.close();
    two.db.close();
  });
});
