import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPrivateAppend } from '../../../node-shared/private-files';
import { readReadyLine } from './read-ready-line';

export interface BundledServer {
  apiUrl: string;
  s3: { endpoint: string; bucket: string; region: string };
  child: ChildProcess;
  logFile: string;
  /** SIGTERM (drain), then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartBundledServerOptions {
  dataDir: string;
  /** Extra `credmate server` flags (e.g. --port, --workers). Default: `--port 0`. */
  args?: string[];
  /** Node options before the entry (a profiler's, say). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** Where the server's stderr log goes (default `<dataDir>/client/server.log`). */
  logFile?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The command line this module belongs to: its TypeScript under tsx, or the compiled one beside it (scripts/credmate.mjs). */
const CLI = import.meta.url.endsWith('.ts')
  ? ['--import', 'tsx', join(here, '..', '..', 'cli', 'index.ts')]
  : [join(here, 'credmate-cli.js')];

/**
 * Starts `credmate server` as a child process on the data dir, waits for its ready
 * line and returns its addresses. The child is tied to this process through an IPC channel, so it
 * exits when this process does, however this process ends.
 */
export async function startBundledServer(opts: StartBundledServerOptions): Promise<BundledServer> {
  const logFile = opts.logFile ?? join(opts.dataDir, 'client', 'server.log');
  const logFd = openPrivateAppend(logFile);
  const args = opts.args ?? ['--port', '0'];
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), ...CLI, 'server', '--data-dir', opts.dataDir, ...args],
    {
      stdio: ['ignore', 'pipe', logFd, 'ipc'],
      env: { ...process.env, ...opts.env },
    },
  );
  closeSync(logFd);
  // The channel must not keep this process alive by itself; it only tells the child we are gone.
  child.unref();
  child.channel?.unref();

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await waitForReady(child, exited, opts.readyTimeoutMs ?? 60_000, logFile);
  child.stdout?.destroy();
  return {
    ...ready,
    child,
    logFile,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function waitForReady(
  child: ChildProcess,
  exited: Promise<void>,
  timeoutMs: number,
  logFile: string,
): Promise<{ apiUrl: string; s3: BundledServer['s3'] }> {
  return readReadyLine(child.stdout as NodeJS.ReadableStream, {
    exited,
    timeoutMs,
    onTimeout: () => child.kill('SIGKILL'),
    timeoutMessage: `The bundled server did not report ready within ${Math.round(timeoutMs / 1000)} s. Its log: ${logFile}`,
    exitedMessage: () => `The bundled server exited before it was ready: ${lastLines(logFile)}`,
  }).then((ready) => ({ apiUrl: ready.api, s3: ready.s3 }));
}

function lastLines(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ') || '(no log)';
  } catch {
    return '(no log)';
  }
}
