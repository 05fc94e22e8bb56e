import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBundledServer, type BundledServer } from '../../../main/core/bundled-server/start-bundled-server';
import { makeEngine, startServerAndClient } from '../fixtures/engine-setup';
import { makePdf } from '../fixtures/make-pdf';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-offline-');
let server: BundledServer | undefined;
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

describe('queueing while the server is down', () => {
  it('waits without failing, lets one file be paused meanwhile, and uploads the rest once the server is back', async () => {
    const dataDir = join(tmp.dir, 'server-data');
    const started = await startServerAndClient(dataDir);
    server = started.server;
    const port = new URL(server.apiUrl).port;
    server.child.kill('SIGKILL');
    await new Promise<void>((r) => server?.child.once('exit', () => r()));

    const folder = join(tmp.dir, 'docs');
    mkdirSync(folder);
    for (const n of ['first', 'second', 'third']) writeFileSync(join(folder, `${n}.pdf`), await makePdf(n, 1));
    const { engine, importFolder, db } = makeEngine(join(tmp.dir, 'client'), started.api, { concurrency: 2 });
    const offline = new Promise<void>((r) => engine.once('offline', () => r()));
    engine.start();
    await importFolder(folder);
    await offline;
    // Every file is waiting on the same (unreachable) batch creation; pausing one must not fail the others.
    const first = engine.queue.list({ offset: 0, limit: 10 }).items.find((i) => i.fileName === 'first.pdf');
    engine.pause({ fileIds: [first?.id as string] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(engine.queue.counts().byState.failed).toBe(0);

    server = await startBundledServer({ dataDir, args: ['--port', port, '--workers', '0'] });
    await engine.waitIdle();
    const states = Object.fromEntries(
      engine.queue.list({ offset: 0, limit: 10 }).items.map((i) => [i.fileName, i.state]),
    );
    expect(states).toEqual({ 'first.pdf': 'paused', 'second.pdf': 'uploaded', 'third.pdf': 'uploaded' });
    await engine.stop();
    db.close();
  });
});
