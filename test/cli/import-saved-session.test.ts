import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../main/core/api-client';
import { startBundledServer, type BundledServer } from '../../main/core/bundled-server/start-bundled-server';
import { savedTokenPath, type SavedToken } from '../../main/core/session/saved-token';
import { readLocalAccount } from '../../node-shared/local-account-file';
import { makePdf } from '../core/fixtures/make-pdf';
import { makeTempDir } from '../core/fixtures/temp-dir';
import { startCli } from './run-cli';

const tmp = makeTempDir('credmate-saved-session-');
const serverData = join(tmp.dir, 'server-data');
const serverLog = join(tmp.dir, 'server.log');
const clientDir = join(tmp.dir, 'client');
let server: BundledServer;

beforeAll(async () => {
  server = await startBundledServer({
    dataDir: serverData,
    args: ['--port', '0', '--workers', '0'],
    logFile: serverLog,
  });
});
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

/** Password checks the server made: its `auth.login` log events (a resumed session writes none). */
function signIns(): number {
  return readFileSync(serverLog, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"event":"auth.login"')).length;
}

async function importOne(name: string): Promise<void> {
  const folder = join(tmp.dir, name);
  mkdirSync(folder);
  writeFileSync(join(folder, `${name}.pdf`), await makePdf(`Saved session ${name}`, 1));
  const acct = readLocalAccount(serverData);
  const res = await startCli([
    'import',
    folder,
    '--server',
    server.apiUrl,
    `--email=${acct?.email ?? ''}`,
    `--password=${acct?.password ?? ''}`,
    '--data-dir',
    clientDir,
    '--json',
  ]).done;
  expect(res.code, res.stderr).toBe(0);
  expect((JSON.parse(res.stdout) as { counts: { uploaded: number } }).counts.uploaded).toBe(1);
}

const saved = (): SavedToken => JSON.parse(readFileSync(savedTokenPath(clientDir), 'utf8')) as SavedToken;

describe('credmate import keeps its session between runs', () => {
  it('signs in once, reuses the token, and signs in again when it was revoked or has expired', async () => {
    await importOne('first');
    expect(signIns()).toBe(1);
    if (process.platform !== 'win32') expect(statSync(savedTokenPath(clientDir)).mode & 0o777).toBe(0o600);

    await importOne('second');
    expect(signIns()).toBe(1);

    // Revoked on the server (a logout elsewhere): the server refuses it, the import signs in again.
    const revoked = saved().token;
    await new ApiClient(server.apiUrl, { token: revoked }).logout();
    await importOne('third');
    expect(signIns()).toBe(2);
    expect(saved().token).not.toBe(revoked);

    // Past its end: not even offered to the server.
    writeFileSync(savedTokenPath(clientDir), JSON.stringify({ ...saved(), expiresAt: new Date(0).toISOString() }));
    await importOne('fourth');
    expect(signIns()).toBe(3);

    await importOne('fifth');
    expect(signIns()).toBe(3);
  }, 120_000);
});
