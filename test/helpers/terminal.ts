/**
 * Runs `credmate <args>` (sources through tsx) on a real pseudo-terminal, made by util-linux
 * `script`, typing each answer once its prompt has appeared in the output: how a person at a
 * terminal answers a password prompt. CREDMATE_PASSWORD is cleared so the prompt is what answers.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './test-server';

export function runOnTerminal(
  args: string[],
  answers: Array<{ after: RegExp; type: string }>,
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'main/cli/index.ts'), ...args]
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
    .join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, CREDMATE_PASSWORD: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const pending = [...answers];
  const onOutput = (d: Buffer) => {
    output += d.toString();
    const next = pending[0];
    if (next && next.after.test(output)) {
      pending.shift();
      child.stdin.write(next.type);
    }
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}
