import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../main/services';
import { sessionFilePath, type TokenVault } from '../../main/services/session-file';
import { startTestServer, type TestServer } from '../helpers/test-server';

/**
 * Signing out in the app (desktop and web transport share these services) ends the session on
 * the server too: the token answers 401 afterwards (issue 14, finding 8).
 */
describe('sign-out through the app services', () => {
  let srv: TestServer;
  let services: Services;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'credmate-signout-'));
  // A vault that "seals" a token as itself, so the test can read the token the app holds.
  const clearVault: TokenVault = { canPersist: () => true, encrypt: (t) => t, decrypt: (t) => t };

  beforeAll(async () => {
    srv = await startTestServer({ env: { CREDMATE_WORKERS: '0' } });
    await srv.addUser({
      org: 'Clinic',
      email: 'reviewer@clinic.test',
      password: 'reviewer-password-1',
      role: 'reviewer',
    });
    services = createServices({
      dataDir,
      vault: clearVault,
      launchLocalServer: () => Promise.reject(new Error('this test signs in to a running server')),
      pickFolder: async () => null,
      openExternal: async () => undefined,
    });
  });
  afterAll(async () => {
    await services?.close();
    await srv.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const me = async (token: string) =>
    (await fetch(`${srv.apiUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('revokes the session on the server, so its token answers 401', async () => {
    const state = await services.handlers['session.signIn']({
      serverUrl: srv.apiUrl,
      email: 'reviewer@clinic.test',
      password: 'reviewer-password-1',
    });
    expect(state).toMatchObject({ signedIn: true, mode: 'remote' });
    const token = (JSON.parse(readFileSync(sessionFilePath(dataDir), 'utf8')) as { sealedToken: string }).sealedToken;
    expect(await me(token)).toBe(200);
    expect(await services.handlers['session.signOut']()).toMatchObject({ signedIn: false });
    expect(await me(token)).toBe(401);
  });
});
