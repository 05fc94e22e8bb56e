import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../main/core/api-client';
import type { BundledServer } from '../../../main/core/bundled-server/start-bundled-server';
import type { QueueItem } from '../../../preload/contract';
import { ChangeFeedSync } from '../../../main/core/sync/change-feed-sync';
import { DocumentsMirror } from '../../../main/core/sync/documents-mirror';
import { makeEngine, startServerAndClient } from '../fixtures/engine-setup';
import { writeLargePdfLike } from '../fixtures/make-pdf';
import { makeTempDir } from '../fixtures/temp-dir';

const MIB = 1024 * 1024;
const tmp = makeTempDir('credmate-controls-');
let server: BundledServer;
let api: ApiClient;
beforeAll(async () => {
  ({ server, api } = await startServerAndClient(join(tmp.dir, 'server-data')));
});
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

describe('pause, resume, cancel and retry', () => {
  it('moves files by id and by batch, keeps a paused upload’s parts, and reports items and the finished batch', async () => {
    const folder = join(tmp.dir, 'f');
    mkdirSync(folder);
    for (const n of ['a', 'b', 'c']) await writeLargePdfLike(join(folder, `${n}.pdf`), 11 * MIB);
    const { engine, importFolder, db } = makeEngine(join(tmp.dir, 'client'), api, { concurrency: 1 });
    const { queued } = await importFolder(folder);
    const batchId = queued.batch.id;
    const id = (name: string): string =>
      engine.queue.list({ offset: 0, limit: 10 }).items.find((i) => i.fileName === name)?.id as string;
    const state = (name: string): string | undefined => engine.queue.getItems([id(name)])[0]?.state;
    const itemEvents: QueueItem[] = [];
    engine.on('items', (items) => itemEvents.push(...items));
    const finished: unknown[] = [];
    engine.on('batch-finished', (b) => finished.push(b));

    expect(engine.pause({ batchId })).toHaveLength(3);
    engine.start();
    await engine.waitIdle();
    expect(engine.queue.counts().byState.paused).toBe(3);

    engine.resume({ fileIds: [id('a.pdf')] });
    await engine.waitIdle();
    expect([state('a.pdf'), state('b.pdf'), state('c.pdf')]).toEqual(['uploaded', 'paused', 'paused']);

    await engine.cancel({ fileIds: [id('b.pdf')] });
    expect(state('b.pdf')).toBe('cancelled');

    // Pause c after its first part: the part stays recorded and is not sent again on resume.
    const firstPart = new Promise<void>((resolve) => engine.once('part-sent', () => resolve()));
    engine.resume({ fileIds: [id('c.pdf')] });
    await firstPart;
    engine.pause({ fileIds: [id('c.pdf')] });
    await engine.waitIdle();
    expect(state('c.pdf')).toBe('paused');
    const recorded = engine.parts
      .listParts(id('c.pdf'))
      .filter((p) => p.state === 'done')
      .map((p) => p.part_number);
    expect(recorded.length).toBeGreaterThan(0);
    const resent: number[] = [];
    engine.on('part-sent', (p) => {
      if (p.fileId === id('c.pdf')) resent.push(p.partNumber);
    });
    engine.resume({ batchId });
    await engine.waitIdle();
    expect(state('c.pdf')).toBe('uploaded');
    expect(resent.filter((n) => recorded.includes(n))).toEqual([]);

    await engine.retry({ batchId });
    await engine.waitIdle();
    expect(state('b.pdf')).toBe('uploaded');
    await engine.stop();

    expect(itemEvents.some((i) => i.fileName === 'c.pdf' && i.state === 'paused' && i.bytesSent > 0)).toBe(true);
    expect(finished.at(-1)).toEqual({ batchId, uploaded: 3, duplicates: 0, failed: 0 });

    // The change feed mirrors the server's documents locally and updates the queue's statuses.
    const mirror = new DocumentsMirror(db);
    const changed = await new ChangeFeedSync(api, mirror).syncOnce();
    const docIds = engine.queue.list({ offset: 0, limit: 10 }).items.map((i) => i.documentId);
    expect([...changed].sort()).toEqual([...docIds].sort());
    expect(mirror.list({ limit: 10 }).total).toBe(3);
    expect(mirror.cursor()).toBeGreaterThan(0);
    expect(await new ChangeFeedSync(api, mirror).syncOnce()).toEqual([]);
    db.close();
  });
});
