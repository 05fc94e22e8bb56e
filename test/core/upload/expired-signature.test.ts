import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BundledServer } from '../../../main/core/bundled-server/start-bundled-server';
import { makeEngine, startServerAndClient } from '../fixtures/engine-setup';
import { writeLargePdfLike } from '../fixtures/make-pdf';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-expired-');
let server: BundledServer | undefined;
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

describe('expired part URL', () => {
  it('is refused by the store, signed again, and the upload succeeds', async () => {
    const started = await startServerAndClient(join(tmp.dir, 'server-data'), { CREDMATE_PRESIGN_EXPIRY_SECONDS: '1' });
    server = started.server;
    const folder = join(tmp.dir, 'folder');
    mkdirSync(folder);
    await writeLargePdfLike(join(folder, 'two-parts.pdf'), 6 * 1024 * 1024);
    let delayed = false;
    const { engine, importFolder, db } = makeEngine(join(tmp.dir, 'client'), started.api, {
      concurrency: 1,
      // Hold the first send past the URL's one-second life: the store must refuse it.
      beforePartSend: async () => {
        if (delayed) return;
        delayed = true;
        await new Promise((r) => setTimeout(r, 2500));
      },
    });
    const resigned: number[] = [];
    engine.on('resigned', (r) => resigned.push(r.partNumber));
    engine.start();
    await importFolder(folder);
    await engine.waitIdle();
    expect(resigned.length).toBeGreaterThanOrEqual(1);
    expect(engine.queue.counts().byState.uploaded).toBe(1);
    await engine.stop();
    db.close();
  });
});
