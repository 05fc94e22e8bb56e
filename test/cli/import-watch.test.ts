/**
 * `credmate import <folder> --watch` as a real process against a real server: it imports what the
 * folder holds, keeps watching, uploads a PDF dropped afterwards (a line per file), does not upload
 * a copy of it again, and on SIGINT stops watching and exits 0. Each step waits for the command's
 * own output, with a generous deadline.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/core/api-client';
import type { BundledServer } from '../../main/core/bundled-server/start-bundled-server';
import { readLocalAccount } from '../../node-shared/local-account-file';
import { startServerAndClient } from '../core/fixtures/engine-setup';
import { makeTempDir } from '../core/fixtures/temp-dir';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { startCli, until } from './run-cli';

const tmp = makeTempDir('credmate-watch-cli-');
let server: BundledServer;
let api: ApiClient;

beforeAll(async () => {
  ({ server, api } = await startServerAndClient(join(tmp.dir, 'server-data')));
}, 120_000);
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

describe('credmate import --watch', () => {
  it('uploads a file dropped after the start and exits 0 on SIGINT', async () => {
    const folder = join(tmp.dir, 'scanner');
    mkdirSync(folder);
    const first = await makePdf('cli-watch-first', 1);
    const dropped = await makePdf('cli-watch-dropped', 2);
    writeFileSync(join(folder, 'first.pdf'), first);
    const acct = readLocalAccount(join(tmp.dir, 'server-data'));
    const run = startCli([
      'import',
      folder,
      '--server',
      server.apiUrl,
      `--email=${acct?.email ?? ''}`,
      `--password=${acct?.password ?? ''}`,
      '--data-dir',
      join(tmp.dir, 'client'),
      '--watch',
      '--settle',
      '0.5',
    ]);
    let out = '';
    run.child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    let exited = false;
    void run.done.then(() => (exited = true));
    const see = (text: string) => until(() => out.includes(text) || exited, 90_000, text);

    await see('Watching ');
    expect(out).toContain('Watching ');
    writeFileSync(join(folder, 'dropped.pdf'), dropped);
    await see('uploaded dropped.pdf');
    expect(out).toMatch(/queued dropped\.pdf/);
    expect(out).toContain('uploaded dropped.pdf');
    writeFileSync(join(folder, 'dropped copy.pdf'), dropped);
    await see('already imported dropped copy.pdf');
    expect(out).toContain('already imported dropped copy.pdf');

    run.child.kill('SIGINT');
    const { code, stderr } = await run.done;
    expect({ code, stderr }).toMatchObject({ code: 0 });
    const onServer = (await api.changes(0)).documents.map((d) => d.sha256);
    expect(onServer.filter((s) => s === sha256Hex(dropped))).toHaveLength(1);
    expect(onServer).toContain(sha256Hex(first));
  }, 180_000);
});
