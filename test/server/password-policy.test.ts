/**
 * Issue 14, finding 12: a new password is refused when it is common or guessable (zxcvbn-ts's
 * common and breached passwords, repeats, sequences) or contains the email address, through the
 * real `credmate users add` on the test server's database (SQLite in its data dir, or PostgreSQL
 * with --database-url); length alone let "Password123456" through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startTestServer, type TestServer } from '../helpers/test-server';

describe('new passwords', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ args: ['--workers', '0'] });
  });
  afterAll(() => srv.stop());
  const add = (email: string, password: string) =>
    runCli(
      ['users', 'add', ...srv.databaseArgs, '--org', 'Clinic', '--email', email, '--password', password],
      srv.cliEnv,
    );

  it('refuses common passwords, repeats and sequences, saying what to choose', async () => {
    for (const weak of ['Password123456', 'iloveyou12345', 'qwertyqwertyqwerty', '123456789012']) {
      const out = await add('weak@clinic.test', weak);
      expect([weak, out.code]).toEqual([weak, 2]);
      expect(out.stderr).toMatch(/too easy to guess \(strength [0-2] of 4, at least 3 needed\).*unrelated words/);
      expect(out.stderr).not.toContain(weak);
    }
  });

  it('refuses a password containing the email address', async () => {
    const out = await add('Dana.Reyes@clinic.test', 'my dana.reyes@clinic.test key 7');
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/must not contain the email address/);
  });

  it('accepts an unguessable one', async () => {
    const out = await add('strong@clinic.test', 'violet tractor orbit 41');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ event: 'user_added' });
    // Stored: the new user signs in.
    expect(await srv.login('strong@clinic.test', 'violet tractor orbit 41')).toEqual(expect.any(String));
  });
});
