import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/test-server';

describe('credmate server --database-url, before the server runs on PostgreSQL', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-server-pg-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses the flag and the variable, saying what runs on PostgreSQL so far, without the password', async () => {
    const url = 'postgres://credmate:pw-never-shown@127.0.0.1:1/central?sslmode=disable';
    const byFlag = await runCli(['server', '--data-dir', dataDir, '--port', '0', `--database-url=${url}`]);
    const byEnv = await runCli(['server', '--data-dir', dataDir, '--port', '0'], { CREDMATE_DATABASE_URL: url });
    for (const [r, source] of [
      [byFlag, '--database-url'],
      [byEnv, 'CREDMATE_DATABASE_URL'],
    ] as const) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`${source} (postgres://credmate:***@127.0.0.1:1/central?sslmode=disable)`);
      expect(r.stderr).toMatch(/the server does not run on PostgreSQL yet\. On PostgreSQL so far: .*accounts/);
      expect(r.stderr).toMatch(/Still SQLite only: uploads; documents/);
      expect(r.stderr).not.toContain('pw-never-shown');
    }
    // Nothing was created: the refusal comes before the server opens its data dir.
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
