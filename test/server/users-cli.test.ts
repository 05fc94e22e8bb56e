import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/test-server';

describe('credmate users', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-users-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('adds a user offline, creating the organisation, and refuses a duplicate email or bad input', async () => {
    const add = (email: string, extra: string[] = []) =>
      runCli([
        'users',
        'add',
        '--data-dir',
        dataDir,
        '--org',
        'Clinic A',
        '--email',
        email,
        '--password',
        'a-long-password',
        ...extra,
      ]);
    const first = await add('a@clinic.test', ['--role', 'reviewer']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ event: 'user_added', createdOrg: true, role: 'reviewer' });
    const second = await add('b@clinic.test');
    expect(JSON.parse(second.stdout)).toMatchObject({ createdOrg: false, role: 'uploader' });
    const dup = await add('A@clinic.test');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const badRole = await add('c@clinic.test', ['--role', 'owner']);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of admin, reviewer, uploader/);
    const list = await runCli(['users', 'list', '--data-dir', dataDir]);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { email: string }).email),
    ).toEqual(['a@clinic.test', 'b@clinic.test']);
  });
});
