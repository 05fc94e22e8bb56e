import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../main/core/api-client';
import type { BundledServer } from '../../../main/core/bundled-server/start-bundled-server';
import { makeEngine, startServerAndClient } from '../fixtures/engine-setup';
import { makePdf, writeLargePdfLike } from '../fixtures/make-pdf';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-expired-');
let server: BundledServer | undefined;
let api: ApiClient;
beforeAll(async () => {
  // Part URLs live one second on this server.
  const started = await startServerAndClient(join(tmp.dir, 'server-data'), { CREDMATE_PRESIGN_EXPIRY_SECONDS: '1' });
  server = started.server;
  api = started.api;
});
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

/** Holds the first part send past the URLs' one-second life: the store must refuse it. */
function delayFirstSend(): () => Promise<void> {
  let delayed = false;
  return async () => {
    if (delayed) return;
    delayed = true;
    await new Promise((r) => setTimeout(r, 2500));
  };
}

describe('expired part URL', () => {
  it('is refused by the store, signed again, and the upload succeeds', async () => {
    const folder = join(tmp.dir, 'folder');
    mkdirSync(folder);
    await writeLargePdfLike(join(folder, 'two-parts.pdf'), 6 * 1024 * 1024);
    const { engine, importFolder, db } = makeEngine(join(tmp.dir, 'client'), api, {
      concurrency: 1,
      beforePartSend: delayFirstSend(),
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

  it('sends a small file on the URL its register answer carried, and re-signs that URL once it expired', async () => {
    const folder = join(tmp.dir, 'folder-small');
    mkdirSync(folder);
    writeFileSync(join(folder, 'one-part.pdf'), await makePdf('inline url', 1));
    const signCalls: number[][] = [];
    const signParts = api.signParts.bind(api);
    const counted = Object.assign(Object.create(api) as ApiClient, {
      signParts: (uploadId: string, parts: number[], signal?: AbortSignal) => {
        signCalls.push(parts);
        return signParts(uploadId, parts, signal);
      },
    });
    // No margin: the inline URL (one second left) is used as it is, then refused by the store.
    const { engine, importFolder, db } = makeEngine(join(tmp.dir, 'client-small'), counted, {
      concurrency: 1,
      signedUrlMarginMs: 0,
      beforePartSend: delayFirstSend(),
    });
    const resigned: number[] = [];
    engine.on('resigned', (r) => resigned.push(r.partNumber));
    engine.start();
    await importFolder(folder);
    await engine.waitIdle();
    expect(resigned).toEqual([1]);
    // The only sign call is the re-sign: the first URL came with the register answer.
    expect(signCalls).toEqual([[1]]);
    expect(engine.queue.counts().byState.uploaded).toBe(1);
    await engine.stop();
    db.close();
  });
});
