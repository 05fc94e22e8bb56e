import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';

type Err = { error: { code: string; message: string } };

describe('authentication', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({
      env: {
        CREDMATE_SESSION_IDLE_SECONDS: '2',
        CREDMATE_SESSION_ABSOLUTE_SECONDS: '4',
        CREDMATE_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        CREDMATE_LOGIN_MAX_FAILURES_PER_ADDRESS: '8',
      },
    });
    await srv.addUser({
      org: 'Clinic',
      email: 'reviewer@clinic.test',
      password: 'reviewer-password-1',
      role: 'reviewer',
    });
    await srv.addUser({
      org: 'Clinic',
      email: 'uploader@clinic.test',
      password: 'uploader-password-1',
      role: 'uploader',
    });
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('answers a wrong password and an unknown user identically', async () => {
    const wrong = await srv.api<Err>(null, 'POST', '/auth/login', {
      email: 'reviewer@clinic.test',
      password: 'not-the-password',
    });
    const unknown = await srv.api<Err>(null, 'POST', '/auth/login', {
      email: 'nobody@clinic.test',
      password: 'not-the-password',
    });
    expect(wrong.status).toBe(401);
    expect(unknown).toEqual(wrong);
  });

  it('requires a session on API routes and returns the user on login', async () => {
    expect((await srv.api<Err>(null, 'GET', '/changes')).status).toBe(401);
    expect((await srv.api<Err>('x'.repeat(43), 'GET', '/changes')).status).toBe(401);
    const res = await srv.api<{ token: string; user: { email: string; role: string; organization: { name: string } } }>(
      null,
      'POST',
      '/auth/login',
      {
        email: 'Reviewer@Clinic.test',
        password: 'reviewer-password-1',
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({
      email: 'reviewer@clinic.test',
      role: 'reviewer',
      organization: { name: 'Clinic' },
    });
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect((await srv.api(res.body.token, 'GET', '/changes')).status).toBe(200);
  });

  it('revokes a token on logout', async () => {
    const token = await srv.login('reviewer@clinic.test', 'reviewer-password-1');
    expect((await srv.api(token, 'POST', '/auth/logout')).status).toBe(204);
    const after = await srv.api<Err>(token, 'GET', '/changes');
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/sign in again/);
  });

  it('expires a session left idle past its idle lifetime', async () => {
    const token = await srv.login('reviewer@clinic.test', 'reviewer-password-1');
    expect((await srv.api(token, 'GET', '/changes')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await srv.api(token, 'GET', '/changes')).status).toBe(401);
  });

  it('ends a session at its absolute lifetime even while it is in use', async () => {
    const token = await srv.login('reviewer@clinic.test', 'reviewer-password-1');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await srv.api(token, 'GET', '/changes')).status);
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Used every second (never idle for 2 s), yet refused once 4 s have passed since login.
    expect(statuses[0]).toBe(200);
    expect(statuses.at(-1)).toBe(401);
  });

  it('stores only a hash of the token', async () => {
    const token = await srv.login('reviewer@clinic.test', 'reviewer-password-1');
    const db = openServerRows(srv);
    const rows = await db.all<{ token_hash: string }>('SELECT token_hash FROM sessions');
    const users = await db.all<{ password_hash: string }>('SELECT password_hash FROM users');
    await db.close();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
    for (const u of users) expect(u.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
  });

  it('keeps an uploader from reviewing (403)', async () => {
    const token = await srv.login('uploader@clinic.test', 'uploader-password-1');
    const res = await srv.api<Err>(token, 'GET', '/audit/verify');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('rate-limits failed logins per account, even for the right password afterwards', async () => {
    await srv.addUser({ org: 'Clinic', email: 'target@clinic.test', password: 'target-password-1', role: 'uploader' });
    for (let i = 0; i < 3; i++) {
      expect(
        (await srv.api(null, 'POST', '/auth/login', { email: 'target@clinic.test', password: `guess-${i}` })).status,
      ).toBe(401);
    }
    const blocked = await fetch(`${srv.apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'target@clinic.test', password: 'target-password-1' }),
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as Err).error.code).toBe('rate_limited');
  });

  it('rate-limits failed logins per address across accounts', async () => {
    // 2 (first test) + 3 (per-account test) failures from this address so far; the limit is 8.
    const emails = ['a@clinic.test', 'b@clinic.test', 'c@clinic.test'];
    for (const email of emails)
      expect((await srv.api(null, 'POST', '/auth/login', { email, password: 'nope-nope' })).status).toBe(401);
    const res = await srv.api<Err>(null, 'POST', '/auth/login', {
      email: 'reviewer@clinic.test',
      password: 'reviewer-password-1',
    });
    expect(res.status).toBe(429);
  });
});
