/**
 * The bundled server as a separate process, seen from the services: a launcher starts it
 * (Electron: utilityProcess.fork; `npm run web`: a Node child via tsx) and hands back its API URL.
 * Both speak the same protocol: `credmate server` prints one JSON ready line on stdout.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError } from '../../common/errors';

export interface LocalServer {
  apiUrl: string;
  pid: number | undefined;
  /** Resolves when the process has exited (on its own or after stop). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

export type LaunchLocalServer = (dataDir: string) => Promise<LocalServer>;

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** Reads stdout lines until the ready line; rejects on exit, timeout or a start-up failure. */
export function waitForReadyLine(stdout: NodeJS.ReadableStream, exited: Promise<void>, stderrTail: () => string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: stdout });
    const timer = setTimeout(() => reject(new AppError('unavailable', `The local server did not start within ${READY_TIMEOUT_MS / 1000} s.`)), READY_TIMEOUT_MS);
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string; api?: string };
        if (msg.event === 'ready' && typeof msg.api === 'string') {
          clearTimeout(timer);
          resolvePromise(msg.api);
        }
      } catch {
        // Not JSON: the server writes only its ready line to stdout, so ignore strays.
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new AppError('unavailable', `The local server stopped during start-up: ${stderrTail().trim().split('\n').pop() ?? 'no message'}`));
    });
  });
}

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../..');

/** `npm run web` and tests: `tsx main/cli/index.ts server --data-dir DIR --port 0 --host 127.0.0.1` as a child process. */
export const launchServerWithTsx: LaunchLocalServer = async (dataDir) => {
  // `node --import tsx` (not the tsx CLI, which adds a wrapper process) so the pid is the server's own.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, join(REPO_ROOT, 'main/cli/index.ts'), 'server', '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CREDMATE_DATA_DIR: dataDir },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    // Keep only the tail: enough to explain a failed start, never an unbounded log in memory.
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const apiUrl = await waitForReadyLine(child.stdout, exited, () => stderr);
  return {
    apiUrl,
    pid: child.pid,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    },
  };
};
