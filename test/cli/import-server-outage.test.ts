import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBundledServer, type BundledServer } from '../../main/core/bundled-server/start-bundled-server';
import { readLocalAccount } from '../../node-shared/local-account-file';
import { writeLargePdfLike } from '../core/fixtures/make-pdf';
import { startProxiedStore, type ProxiedStore } from '../core/fixtures/proxied-store';
import { makeTempDir } from '../core/fixtures/temp-dir';
import { startCli, until } from './run-cli';

const MIB = 1024 * 1024;
const tmp = makeTempDir('credmate-outage-');
const serverData = join(tmp.dir, 'server-data');
let store: ProxiedStore;
let server: BundledServer;

const startServer = (port: string): Promise<BundledServer> =>
  startBundledServer({
    dataDir: serverData,
    env: store.serverEnv,
    args: ['--port', port, '--workers', '0'],
    logFile: join(tmp.dir, 'server.log'),
  });

beforeAll(async () => {
  store = await startProxiedStore(tmp.dir);
  server = await startServer('0');
});
afterAll(async () => {
  await server?.stop();
  await store?.close();
  tmp.cleanup();
});

describe('credmate import while the server goes away', () => {
  it('pauses without failing any file while the server is down, then finishes by itself', async () => {
    const folder = join(tmp.dir, 'batch');
    mkdirSync(folder);
    for (let i = 0; i < 4; i++) await writeLargePdfLike(join(folder, `file-${i}.pdf`), 8 * MIB + i);
    const acct = readLocalAccount(serverData);
    const run = startCli([
      'import',
      folder,
      '--server',
      server.apiUrl,
      `--email=${acct?.email ?? ''}`,
      `--password=${acct?.password ?? ''}`,
      '--data-dir',
      join(tmp.dir, 'client'),
      '--json',
      '--concurrency',
      '2',
    ]);
    let exited = false;
    void run.done.then(() => (exited = true));
    await until(() => exited || store.proxy.partPuts().some((r) => r.status === 200), 60_000, 'the first part');
    if (exited) expect.fail(`the import ended before its first part was stored: ${(await run.done).stderr}`);

    // A crash, not a drain, and down for the 30 s.
    const port = new URL(server.apiUrl).port;
    server.child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 30_000));
    expect(exited).toBe(false);
    server = await startServer(port);

    const res = await run.done;
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as { counts: { uploaded: number; failed: number } };
    expect(summary.counts).toMatchObject({ uploaded: 4, failed: 0 });
  }, 150_000);
});
