import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../core/fixtures/temp-dir';

const tmp = makeTempDir('credmate-cli-cache-');
afterAll(() => tmp.cleanup());
const script = join(import.meta.dirname, '..', '..', 'scripts', 'credmate.mjs');

function run(cacheDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, '--help'], {
      env: { ...process.env, CREDMATE_CLI_CACHE_DIR: cacheDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => setImmediate(() => resolve({ code, stdout, stderr })));
  });
}

describe('npm run credmate (the compiled command line)', () => {
  it('builds once when many commands start together on changed sources, and every one of them runs', async () => {
    const cacheDir = join(tmp.dir, 'cache');
    const runs = await Promise.all(Array.from({ length: 6 }, () => run(cacheDir)));
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('usage: credmate <command>');
    }
    // One build for the sources as they are; the losers' temporary builds are gone.
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const again = await run(cacheDir);
    expect(again.code).toBe(0);
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });
});
