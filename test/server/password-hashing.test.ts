import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** Thread names of a process (Linux /proc). */
const threadNames = (pid: number) =>
  fs.readdirSync(`/proc/${pid}/task`).map((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim());

/**
 * Anonymous sign-ins cannot take the server's I/O threads (issue 14, finding 3): scrypt runs on
 * threads of its own, a few at a time, with a bounded queue; the excess is refused with 503 and a
 * time to retry, and is not counted as a failed guess.
 */
describe('password hashing under a burst of sign-ins', () => {
  let srv: TestServer;
  const THREADS = 2;
  const QUEUE = 2;

  beforeAll(async () => {
    srv = await startTestServer({
      env: {
        CREDMATE_WORKERS: '0',
        CREDMATE_PASSWORD_HASH_THREADS: String(THREADS),
        CREDMATE_PASSWORD_HASH_QUEUE: String(QUEUE),
        CREDMATE_LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
      },
    });
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
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as { error?: { code: string; message: string } },
    };
  };

  it('checks a few at a time and refuses the rest with 503 and Retry-After', async () => {
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => login(`burst-${i}@clinic.test`, 'not-the-password')),
    );
    const refused = answers.filter((a) => a.status === 503);
    expect(answers.every((a) => a.status === 401 || a.status === 503)).toBe(true);
    // The first THREADS + QUEUE to arrive always find room; everything past room is refused, not queued.
    expect(answers.filter((a) => a.status === 401).length).toBeGreaterThanOrEqual(THREADS + QUEUE);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
      expect(a.body.error).toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(/wait \d+ s and try again/),
      });
    }
  });

  it('runs scrypt on named threads of its own, not on the thread pool file I/O uses', async () => {
    expect((await login('local@credmate.localhost', 'not-the-password')).status).toBe(401);
    // THREADS for sign-ins, and one for hashes made outside them (the local account at start, the dummy hash).
    expect(threadNames(srv.proc.pid!).filter((n) => n === 'cm-password')).toHaveLength(THREADS + 1);
    // The right password still signs in.
    expect(await srv.login()).toMatch(/\S{20,}/);
  });

  it('does not count a refused check against the account', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => login('local@credmate.localhost', 'not-the-password')),
    );
    const checked = answers.filter((a) => a.status === 401).length;
    expect(answers.some((a) => a.status === 503)).toBe(true);
    // Fewer checked failures than the account's limit (5): the right password still works.
    expect(checked).toBeLessThan(5);
    expect(await srv.login()).toMatch(/\S{20,}/);
  });
});
