/**
 * Issue 14, finding 10: past the free attempts an account is slowed, not locked (the right
 * password gets in once the delay has passed); behind a trusted reverse proxy each client has its
 * own per-address limit; failed and refused sign-ins are logged with a hashed account and the
 * address, never the email. Waits are read from Retry-After, never timed by the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../server/config';
import { startTestServer, type TestServer } from '../helpers/test-server';

type Answer = { status: number; retryAfter: number | null };

function loginVia(srv: TestServer) {
  return async (email: string, password: string, forwardedFor?: string): Promise<Answer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
    const res = await fetch(`${srv.apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, password }),
    });
    await res.body?.cancel();
    const ra = res.headers.get('retry-after');
    return { status: res.status, retryAfter: ra === null ? null : Number(ra) };
  };
}

/** Waits as long as the server said to (plus a little), so the next attempt is the one it allows. */
const waitOut = (seconds: number | null) => new Promise((r) => setTimeout(r, (seconds ?? 0) * 1000 + 150));

describe('progressive sign-in delays', () => {
  let srv: TestServer;
  let login: ReturnType<typeof loginVia>;
  const EMAIL = 'target@clinic.test';
  const RIGHT = 'target-password-1';

  beforeAll(async () => {
    srv = await startTestServer({
      env: { CREDMATE_WORKERS: '0', CREDMATE_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', CREDMATE_LOGIN_DELAY_SECONDS: '2' },
    });
    await srv.addUser({ org: 'Clinic', email: EMAIL, password: RIGHT, role: 'uploader' });
    login = loginVia(srv);
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('lets the right password in once the delay has passed; each further failure doubles the delay', async () => {
    for (let i = 0; i < 3; i++) expect((await login(EMAIL, `guess-${i}`)).status).toBe(401);
    // Too early: refused, with the first delay (2 s here: 1 s could pass on a busy machine before the next request arrives).
    expect(await login(EMAIL, RIGHT)).toEqual({ status: 429, retryAfter: 2 });

    const early = await login(EMAIL, 'guess-3');
    await waitOut(early.retryAfter);
    expect((await login(EMAIL, 'guess-4')).status).toBe(401);
    // The 4th failure doubled the wait.
    const doubled = await login(EMAIL, RIGHT);
    expect(doubled).toEqual({ status: 429, retryAfter: 4 });

    await waitOut(doubled.retryAfter);
    // Past the delay one attempt at a time: of five at once, one is checked (and is right), four wait.
    const burst = await Promise.all(Array.from({ length: 5 }, () => login(EMAIL, RIGHT)));
    expect(burst.map((a) => a.status).sort()).toEqual([200, 429, 429, 429, 429]);
    // Signed in: the account's failures are forgotten.
    expect((await login(EMAIL, 'guess-5')).status).toBe(401);
  });

  it('logs failed and refused sign-ins with a hashed account and the address, never the email', async () => {
    const failed = srv.logs().filter((l) => l.event === 'auth.login_failed');
    const refused = srv.logs().filter((l) => l.event === 'auth.login_refused');
    expect(failed.length).toBeGreaterThanOrEqual(5);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const l of [...failed, ...refused])
      expect(l).toMatchObject({ account: expect.stringMatching(/^[0-9a-f]{16}$/), address: '127.0.0.1' });
    expect(new Set(failed.map((l) => l.account)).size).toBe(1);
    expect(refused[0]).toMatchObject({ reason: 'account_limit', retryAfterSeconds: 2 });
    expect(JSON.stringify(srv.logs())).not.toContain('target@');
  });

  it('ignores X-Forwarded-For unless CREDMATE_TRUST_PROXY names the proxy', async () => {
    const seen = new Set(srv.logs().map((l) => l.account));
    expect((await login('nobody@clinic.test', 'nope-nope', '203.0.113.9')).status).toBe(401);
    // This email's first log line: its address is the connection's.
    const line = await srv.waitForLog((l) => l.event === 'auth.login_failed' && !seen.has(l.account));
    expect(line.address).toBe('127.0.0.1');
  });
});

describe('per-address limits behind a trusted proxy', () => {
  let srv: TestServer;
  let login: ReturnType<typeof loginVia>;

  beforeAll(async () => {
    srv = await startTestServer({
      env: {
        CREDMATE_WORKERS: '0',
        CREDMATE_TRUST_PROXY: '127.0.0.1',
        CREDMATE_LOGIN_MAX_FAILURES_PER_ADDRESS: '2',
        CREDMATE_LOGIN_MAX_FAILURES_PER_ACCOUNT: '100',
        CREDMATE_LOGIN_DELAY_SECONDS: '600',
      },
    });
    login = loginVia(srv);
  });
  afterAll(async () => {
    await srv.stop();
  });

  it("takes the client from X-Forwarded-For's right-most untrusted hop", async () => {
    // The client wrote the left-most hop itself; the proxy appended the address it saw.
    expect((await login('a@clinic.test', 'nope-nope', '198.51.100.1, 203.0.113.7')).status).toBe(401);
    expect((await login('b@clinic.test', 'nope-nope', '203.0.113.7')).status).toBe(401);
    const third = await login('c@clinic.test', 'nope-nope', '203.0.113.7');
    expect(third.status).toBe(429);
    expect(third.retryAfter).toBeGreaterThan(500);
    // A spoofed left-most hop does not escape the limit.
    expect((await login('d@clinic.test', 'nope-nope', '203.0.113.99, 203.0.113.7')).status).toBe(429);
    // Another client behind the same proxy has its own limit; a chain of trusted proxies is skipped.
    expect((await login('e@clinic.test', 'nope-nope', '203.0.113.7, 203.0.113.8')).status).toBe(401);
    expect((await login('f@clinic.test', 'nope-nope', '203.0.113.8, 127.0.0.1')).status).toBe(401);
    expect((await login('g@clinic.test', 'nope-nope', '203.0.113.8')).status).toBe(429);
    const addresses = srv
      .logs()
      .filter((l) => l.event === 'auth.login_failed')
      .map((l) => l.address);
    expect(addresses).toEqual(['203.0.113.7', '203.0.113.7', '203.0.113.8', '203.0.113.8']);
  });

  it('refuses a CREDMATE_TRUST_PROXY entry that is no address, naming it', () => {
    expect(() => loadServerConfig([], { CREDMATE_TRUST_PROXY: '127.0.0.1, 10.0.0.0/33' })).toThrow(
      /"10\.0\.0\.0\/33" is not an IP address or CIDR range/,
    );
  });
});
