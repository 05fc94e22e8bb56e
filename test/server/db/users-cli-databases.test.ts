import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../../server/auth/password';
import { databasePath } from '../../../server/db/open';
import { runCli } from '../../helpers/test-server';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { DATABASE_KINDS } from '../../support/server-databases';

interface UserRow {
  email: string;
  role: string;
  password_hash: string;
  org: string;
}

const READ_USERS =
  'SELECT u.email, u.role, u.password_hash, o.name AS org FROM users u JOIN organizations o ON o.id = u.org_id ORDER BY u.email';

describe.each(DATABASE_KINDS)('credmate users on %s, as a real CLI process', (kind) => {
  let dataDir: string;
  let target: TestDatabase | undefined;
  // The database options exactly as an operator would type them; PostgreSQL starts un-migrated.
  let where: string[];
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `credmate-users-${kind}-`));
    target = kind === 'postgres' ? await createTestDatabase() : undefined;
    where = target ? ['--database-url', target.url] : ['--data-dir', dataDir];
  });
  afterAll(async () => {
    await target?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function readUsers(): Promise<UserRow[]> {
    if (!target) {
      const db = new Database(databasePath(dataDir), { readonly: true });
      try {
        return db.prepare(READ_USERS).all() as UserRow[];
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      return (await client.query<UserRow>(READ_USERS)).rows;
    } finally {
      await client.end();
    }
  }

  const add = (org: string, email: string, extra: string[] = []) =>
    runCli(['users', 'add', ...where, '--org', org, '--email', email, '--password', 'a-long-password', ...extra]);

  it('adds users, creating the organisation once even when two processes add to a new one at the same time', async () => {
    const [a, b] = await Promise.all([
      add('Clinic A', 'a@clinic.test', ['--role', 'admin']),
      add('Clinic A', 'b@clinic.test'),
    ]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    const outs = [a, b].map((r) => JSON.parse(r.stdout) as { createdOrg: boolean; orgId: string; database: string });
    expect(outs.map((o) => o.createdOrg).sort()).toEqual([false, true]);
    expect(outs[0]?.orgId).toBe(outs[1]?.orgId);
    expect(outs[0]?.database).toBe(kind);

    const rows = await readUsers();
    expect(rows.map(({ email, role, org }) => ({ email, role, org }))).toEqual([
      { email: 'a@clinic.test', role: 'admin', org: 'Clinic A' },
      { email: 'b@clinic.test', role: 'uploader', org: 'Clinic A' },
    ]);
    // The same scrypt hash format on both databases, and it verifies the password it was made from.
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword('a-long-password', rows[0]?.password_hash ?? '')).toBe(true);
    expect(await verifyPassword('another-password', rows[0]?.password_hash ?? '')).toBe(false);
  });

  it('refuses an email that exists in another case, and lists users by organisation', async () => {
    const dup = await add('Clinic B', 'A@Clinic.TEST');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/A user with email a@clinic\.test already exists/);
    expect(await add('Clinic B', 'c@clinic-b.test')).toMatchObject({ code: 0 });
    const list = await runCli(['users', 'list', ...where]);
    expect(list.code, list.stderr).toBe(0);
    const listed = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { email: string; org: string });
    expect(listed.map((u) => `${u.org}/${u.email}`)).toEqual([
      'Clinic A/a@clinic.test',
      'Clinic A/b@clinic.test',
      'Clinic B/c@clinic-b.test',
    ]);
  });
});

describe('credmate users --database-url', () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await createTestDatabase();
  });
  afterAll(() => target.drop());

  it('takes CREDMATE_DATABASE_URL when no flag is given, and --data-dir over it', async () => {
    const env = { CREDMATE_DATABASE_URL: target.url };
    const added = await runCli(
      ['users', 'add', '--org', 'Env Org', '--email', 'env@org.test', '--password', 'a-long-password'],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ database: 'postgres', createdOrg: true });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-users-env-'));
    try {
      const local = await runCli(['users', 'list', '--data-dir', dataDir], env);
      expect(local).toMatchObject({ code: 0, stdout: '' });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a bad URL or both options with a clear message, and never prints the password', async () => {
    const bad = await runCli(['users', 'list', '--database-url', 'mysql://u:pw-never-shown@h/db']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--database-url has the scheme "mysql"; only postgres:\/\/ is supported/);
    const both = await runCli(['users', 'list', '--database-url', target.url, '--data-dir', '/tmp/x']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/Give --database-url \(PostgreSQL\) or --data-dir/);
    const missing = new URL(target.url);
    missing.password = 'pw-never-shown';
    missing.pathname = '/no_such_database';
    const unreachable = await runCli(['users', 'list', '--database-url', missing.toString()]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      /Cannot open the PostgreSQL database postgres:\/\/credmate:\*\*\*@.*no_such_database/,
    );
    expect(unreachable.stderr).toMatch(/does not exist/);
    for (const r of [bad, both, unreachable]) expect(r.stderr + r.stdout).not.toContain('pw-never-shown');
  });
});
