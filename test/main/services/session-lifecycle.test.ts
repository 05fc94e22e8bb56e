/**
 * The services' session lifecycle against the real bundled server (started through the same
 * launcher `npm run web` uses): local mode starts the server and signs in over the login route,
 * a restart resumes the local session, closing stops the server process, and a remote session
 * whose token cannot be stored securely asks to sign in again after a restart.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../../preload/contract';
import { createServices, type Services } from '../../../main/services';
import { launchServerWithTsx, type LocalServer } from '../../../main/services/local-server';
import { MEMORY_ONLY_VAULT, sessionFilePath, type TokenVault } from '../../../main/services/session-file';

const root = mkdtempSync(path.join(tmpdir(), 'credmate-session-'));
const open: Services[] = [];
const launched: LocalServer[] = [];

function services(dataDir: string, vault: TokenVault = MEMORY_ONLY_VAULT): Services {
  const s = createServices({
    dataDir,
    vault,
    launchLocalServer: async (dir) => {
      const server = await launchServerWithTsx(dir);
      launched.push(server);
      return server;
    },
    pickFolder: async () => null,
    openExternal: async () => undefined,
  });
  open.push(s);
  return s;
}

function alive(pid: number | undefined): boolean {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  for (const s of open) await s.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

describe('session lifecycle', () => {
  const dataDir = path.join(root, 'local');

  it('works locally: starts the bundled server, signs in, and stops the server on close', async () => {
    const first = services(dataDir);
    const state = await first.handlers['session.signInLocal']();
    expect(state).toMatchObject({ signedIn: true, mode: 'local', user: { email: 'local@credmate.localhost' } });
    const server = launched.at(-1)!;
    expect(alive(server.pid)).toBe(true);
    // Nothing secret is written for a local session: the local account signs in again each start.
    expect(readFileSync(sessionFilePath(dataDir), 'utf8')).not.toMatch(/token"\s*:\s*"[^"]/);
    await first.close();
    await server.exited;
    expect(alive(server.pid)).toBe(false);
  }, 120_000);

  it('resumes the local session on the next start', async () => {
    const second = services(dataDir);
    const changes: SessionState[] = [];
    second.bus.subscribe((event, payload) => event === 'session.changed' && changes.push(payload as SessionState));
    await second.restore();
    expect(await second.handlers['session.get']()).toMatchObject({ signedIn: true, mode: 'local' });
    expect(changes.at(-1)).toMatchObject({ signedIn: true });
    const stats = await second.handlers['queue.stats']();
    expect(stats.total).toBe(0);
    expect(stats.online).toBe(true);
  }, 120_000);

  it('restarts a bundled server that died and signs in to it again', async () => {
    const current = open.at(-1)!;
    const dead = launched.at(-1)!;
    const offline = new Promise<void>((resolve) =>
      current.bus.subscribe(
        (event, payload) => event === 'queue.stats' && !(payload as { online: boolean }).online && resolve(),
      ),
    );
    const back = new Promise<SessionState>((resolve) =>
      current.bus.subscribe(
        (event, payload) =>
          event === 'session.changed' && (payload as SessionState).signedIn && resolve(payload as SessionState),
      ),
    );
    process.kill(dead.pid!, 'SIGKILL');
    await offline;
    const state = await back;
    const fresh = launched.at(-1)!;
    expect(fresh).not.toBe(dead);
    expect(alive(fresh.pid)).toBe(true);
    expect(state).toMatchObject({ signedIn: true, mode: 'local', serverUrl: fresh.apiUrl });
    await expect(current.handlers['documents.get']({ id: 'no-such-document' })).rejects.toMatchObject({
      kind: 'not_found',
    });
  }, 120_000);

  it('asks to sign in again when the remote token could not be stored securely', async () => {
    const server = launched.at(-1)!;
    const account = JSON.parse(readFileSync(path.join(dataDir, 'server/local-account.json'), 'utf8')) as {
      email: string;
      password: string;
    };
    const remoteDir = path.join(root, 'remote');
    const third = services(remoteDir);
    await expect(
      third.handlers['session.signIn']({ serverUrl: server.apiUrl, email: account.email, password: 'wrong-password' }),
    ).rejects.toMatchObject({ kind: 'auth' });
    const state = await third.handlers['session.signIn']({
      serverUrl: server.apiUrl,
      email: account.email,
      password: account.password,
    });
    expect(state).toMatchObject({ signedIn: true, mode: 'remote' });
    expect(readFileSync(sessionFilePath(remoteDir), 'utf8')).toContain('"sealedToken":null');
    await third.close();

    const fourth = services(remoteDir);
    await fourth.restore();
    expect(await fourth.handlers['session.get']()).toMatchObject({
      signedIn: false,
      serverUrl: server.apiUrl,
      message: expect.stringContaining('sign in again'),
    });

    // With a vault that encrypts, the token survives the restart.
    const sealing: TokenVault = {
      canPersist: () => true,
      encrypt: (t) => Buffer.from(t).toString('base64').split('').reverse().join(''),
      decrypt: (s) => Buffer.from(s.split('').reverse().join(''), 'base64').toString(),
    };
    const fifth = services(remoteDir, sealing);
    await fifth.handlers['session.signIn']({
      serverUrl: server.apiUrl,
      email: account.email,
      password: account.password,
    });
    await fifth.close();
    const sixth = services(remoteDir, sealing);
    await sixth.restore();
    expect(await sixth.handlers['session.get']()).toMatchObject({ signedIn: true, mode: 'remote' });
    // The restored token is accepted: an unknown document is "not found", not "sign in".
    await expect(sixth.handlers['documents.get']({ id: 'no-such-document' })).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(sixth.handlers['batches.listLocal']()).resolves.toEqual([]);
    await expect(sixth.handlers['documents.list']({})).resolves.toMatchObject({ total: 0 });
  }, 120_000);
});
