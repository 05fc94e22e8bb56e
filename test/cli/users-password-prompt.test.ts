/**
 * Issue 14, finding 12: `credmate users add` needs no password on the command line. On a
 * terminal it asks (twice, not echoed); CREDMATE_PASSWORD works too; without either, and with
 * no terminal to ask on, it says what to do. The terminal is a real pseudo-terminal (util-linux
 * `script`), the stored hash is checked with the server's own scrypt.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/auth/password';
import { openDatabase } from '../../server/db/open';
import { runOnTerminal } from '../helpers/terminal';
import { runCli } from '../helpers/test-server';

describe('credmate users add: the password', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-users-prompt-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const storedHash = (email: string) => {
    const db = openDatabase(dataDir);
    try {
      return (
        db.prepare('SELECT password_hash FROM users WHERE email = ?').get(email) as
          { password_hash: string } | undefined
      )?.password_hash;
    } finally {
      db.close();
    }
  };
  const addArgs = (email: string) => [
    'users',
    'add',
    '--data-dir',
    dataDir,
    '--org',
    'Clinic',
    '--email',
    email,
    '--role',
    'admin',
  ];

  it('is asked for on a terminal, twice and without echo, when --password is not given', async () => {
    const secret = 'typed-on-the-terminal-1';
    const out = await runOnTerminal(addArgs('typed@clinic.test'), [
      { after: /Password for typed@clinic\.test/, type: `${secret}\r` },
      { after: /Same password again/, type: `${secret}\r` },
    ]);
    expect(out.code).toBe(0);
    expect(out.output).toMatch(/"event":"user_added"/);
    expect(out.output).not.toContain(secret);
    expect(await verifyPassword(secret, storedHash('typed@clinic.test')!)).toBe(true);
  });

  it('adds nobody when the two typed passwords differ', async () => {
    const out = await runOnTerminal(addArgs('differ@clinic.test'), [
      { after: /Password for/, type: 'first-password-12\r' },
      { after: /Same password again/, type: 'other-password-12\r' },
    ]);
    expect(out.code).toBe(2);
    expect(out.output).toMatch(/The two passwords differ; no user was added/);
    expect(storedHash('differ@clinic.test')).toBeUndefined();
  });

  it('takes CREDMATE_PASSWORD, and without a terminal or a password says what to do', async () => {
    const fromEnv = await runCli(addArgs('env@clinic.test'), { CREDMATE_PASSWORD: 'from-the-environment-1' });
    expect(fromEnv.code).toBe(0);
    expect(await verifyPassword('from-the-environment-1', storedHash('env@clinic.test')!)).toBe(true);

    const none = await runCli(addArgs('none@clinic.test'), { CREDMATE_PASSWORD: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /No password for none@clinic\.test: pass --password, set CREDMATE_PASSWORD, or run this on a terminal/,
    );
  });
});
