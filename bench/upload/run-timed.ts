import { spawn } from 'node:child_process';

export interface TimedRun {
  seconds: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and measures its wall time (process start to exit). */
export function runTimed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<TimedRun> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, code, stdout, stderr }));
  });
}
