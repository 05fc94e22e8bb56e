/**
 * The bundled server as a separate process, seen from the services: a launcher starts it
 * (Electron: utilityProcess.fork; `npm run web`: a Node child via tsx) and hands back its API URL.
 * Both speak the same protocol: `credmate server` prints one JSON ready line on stdout.
 * `waitForReadyLine` reads it for the Electron launcher, through the one reader the CLI uses too.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readReadyLine } from '../core/bundled-server/read-ready-line';
import { startBundledServer } from '../core/bundled-server/start-bundled-server';

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
export async function waitForReadyLine(
  stdout: NodeJS.ReadableStream,
  exited: Promise<void>,
  stderrTail: () => string,
): Promise<string> {
  const ready = await readReadyLine(stdout, {
    exited,
    timeoutMs: READY_TIMEOUT_MS,
    timeoutMessage: `The local server did not start within ${READY_TIMEOUT_MS / 1000} s.`,
    exitedMessage: () =>
      `The local server stopped during start-up: ${stderrTail().trim().split('\n').pop() ?? 'no message'}`,
  });
  return ready.api;
}

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../..');

/**
 * `npm run web` and tests: `credmate server` as a Node child (tsx) through the core's launcher,
 * which ties the child to this process, so a crashed or killed web transport leaves no server behind.
 */
export const launchServerWithTsx: LaunchLocalServer = async (dataDir) => {
  const server = await startBundledServer({
    dataDir,
    args: ['--port', '0', '--host', '127.0.0.1'],
    env: { CREDMATE_DATA_DIR: dataDir },
  });
  const child = server.child;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => child.once('exit', () => r()));
  return { apiUrl: server.apiUrl, pid: child.pid, exited, stop: () => server.stop(STOP_GRACE_MS) };
};
