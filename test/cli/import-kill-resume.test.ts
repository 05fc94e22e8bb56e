import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex as sha } from '../helpers/pdf-fixtures';
import type { ApiClient } from '../../main/core/api-client';
import type { BundledServer } from '../../main/core/bundled-server/start-bundled-server';
import { readLocalAccount } from '../../node-shared/local-account-file';
import { startServerAndClient } from '../core/fixtures/engine-setup';
import { writeLargePdfLike } from '../core/fixtures/make-pdf';
import { startProxiedStore, type ProxiedStore } from '../core/fixtures/proxied-store';
import { makeTempDir } from '../core/fixtures/temp-dir';
import { startCli, until } from './run-cli';

const MIB = 1024 * 1024;
const PART = 5 * MIB;
const CONCURRENCY = 2;
const tmp = makeTempDir('credmate-kill-');
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

/** "uploadId/partNumber" of a presigned part PUT seen at the proxy. */
const partKey = (url: string): string => {
  const q = new URLSearchParams(url.split('?')[1] ?? '');
  // A one-part upload's PUT names no multipart upload: its object key stands for it.
  return `${q.get('uploadId') ?? url.split('?')[0]}/${q.get('partNumber') ?? 1}`;
};

describe('credmate import killed with SIGKILL during a batch of large files', () => {
  it('ends with every file stored exactly once, intact, re-sending only parts that were in flight', async () => {
    const folder = join(tmp.dir, 'large');
    mkdirSync(folder);
    const sizes = [22 * MIB + 11, 24 * MIB + 5, 20 * MIB + 3];
    for (const [i, size] of sizes.entries()) await writeLargePdfLike(join(folder, `scan-${i}.pdf`), size);
    const acct = readLocalAccount(join(tmp.dir, 'server-data'));
    const args = [
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
      String(CONCURRENCY),
    ];

    let kills = 0;
    for (let round = 0; round < 3; round++) {
      const donePuts = (): number => store.proxy.partPuts().filter((r) => r.status === 200).length;
      const before = donePuts();
      // Kill after 1 to 3 more parts landed: a random point inside the batch.
      const wait = 1 + Math.floor(Math.random() * 3);
      const run = startCli(args);
      let exited = false;
      void run.done.then(() => (exited = true));
      await until(() => exited || donePuts() >= before + wait, 120_000, 'parts to land');
      if (exited) break;
      run.child.kill('SIGKILL');
      await run.done;
      kills++;
    }
    expect(kills).toBeGreaterThan(0);

    const final = await startCli(args).done;
    expect(final.code, final.stderr).toBe(0);
    const summary = JSON.parse(final.stdout) as {
      counts: { failed: number; uploaded: number; alreadyImported: number };
    };
    expect(summary.counts.failed).toBe(0);
    expect(summary.counts.uploaded + summary.counts.alreadyImported).toBe(3);

    // Exactly one document per file, with the local content.
    const page = await api.changes(0, 1000);
    const local = sizes.map((_, i) => sha(readFileSync(join(folder, `scan-${i}.pdf`))));
    expect(page.documents.map((d) => d.sha256).sort()).toEqual([...local].sort());
    for (const d of page.documents) expect(sha(await api.downloadContent(d.id))).toBe(d.sha256);

    // Parts stored more than once: only those in flight (sent, ETag not yet recorded) at a kill.
    const stored = new Map<string, number>();
    for (const r of store.proxy.partPuts().filter((p) => p.status === 200))
      stored.set(partKey(r.url), (stored.get(partKey(r.url)) ?? 0) + 1);
    const extraStored = [...stored.values()].reduce((n, c) => n + c - 1, 0);
    expect(extraStored).toBeLessThanOrEqual(kills * CONCURRENCY);
    const total = sizes.reduce((a, b) => a + b, 0);
    const sent = store.proxy.partBytes();
    expect(sent).toBeGreaterThanOrEqual(total);
    // Every byte beyond the files' own is a part that was in flight at one of the kills.
    expect(sent - total).toBeLessThanOrEqual(kills * CONCURRENCY * PART);
  });
});
