import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';

/**
 * Login limits under concurrency (issue 14, finding 2): an attempt is counted before its password
 * is checked, so simultaneous guesses cannot all be checked while the count still reads zero.
 */
describe('login limits under concurrent attempts', () => {
  let srv: TestServer;
  const PER_ACCOUNT = 5;
  const PER_ADDRESS = 12;

  beforeAll(async () => {
    srv = await startTestServer({
      env: {
        CREDMATE_WORKERS: '0',
        CREDMATE_LOGIN_MAX_FAILURES_PER_ACCOUNT: String(PER_ACCOUNT),
        CREDMATE_LOGIN_MAX_FAILURES_PER_ADDRESS: String(PER_ADDRESS),
      },
    });
    await srv.addUser({ org: 'Clinic', email: 'target@clinic.test', password: 'target-password-1', role: 'uploader' });
  });
  afterAll(async () => {
    await srv.stop();
  });

  const login = async (email: string, password: string) => {
    const res = await fetch(`${srv.apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    await res.body?.cancel();
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  };
  const statuses = (answers: Array<{ status: number }>) => answers.map((a) => a.status).sort();

  it('refuses the 6th of 25 simultaneous wrong passwords for one account, with Retry-After', async () => {
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => login('target@clinic.test', `wrong-guess-${i}`)),
    );
    expect(statuses(answers)).toEqual([
      ...Array<number>(PER_ACCOUNT).fill(401),
      ...Array<number>(25 - PER_ACCOUNT).fill(429),
    ]);
    for (const a of answers.filter((x) => x.status === 429)) expect(Number(a.retryAfter)).toBeGreaterThan(0);
    // Past the free attempts the account waits out a delay (login-throttle.test.ts), the right password included.
    expect((await login('target@clinic.test', 'target-password-1')).status).toBe(429);
  });

  it('refuses simultaneous attempts from one address beyond its limit, across accounts', async () => {
    // The previous test's 5 checked guesses count for this address (its 21 refusals do not).
    const left = PER_ADDRESS - PER_ACCOUNT;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(`nobody-${i}@clinic.test`, 'not-a-password')),
    );
    expect(statuses(answers)).toEqual([...Array<number>(left).fill(401), ...Array<number>(12 - left).fill(429)]);
    for (const a of answers.filter((x) => x.status === 429)) expect(Number(a.retryAfter)).toBeGreaterThan(0);
  });
});
