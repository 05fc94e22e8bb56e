import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `npm run credmate` runs: the compiled command line (built on first use). */
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'credmate.mjs');

export interface CliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts `credmate <args>` as a real process, as `npm run credmate` does, collecting its output. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) =>
      child.once('exit', (code, signal) => {
        // Let the pipes drain before handing the output over.
        setImmediate(() => resolve({ code, signal, stdout, stderr }));
      }),
  );
  return { child, done };
}

/** Polls `cond` every 50 ms until it holds; rejects after `limitMs` (a hang guard, not a timing assertion). */
export async function until(cond: () => boolean, limitMs: number, what: string): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
