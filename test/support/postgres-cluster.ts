import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster on a temporary directory and a loopback port. */
export interface PostgresCluster {
  /** `postgres://credmate@127.0.0.1:PORT/postgres`: the superuser on the maintenance database. */
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'PostgreSQL is needed by the tests of the central deployment (issue 19) and is not installed here. ' +
  "Install Debian's package: `apt-get update && apt-get install -y postgresql` (.ci/run does this), then run the tests again.";

/** The newest Debian PostgreSQL bin directory, or a clear error naming the package to install. */
export function findPostgresBin(root = '/usr/lib/postgresql'): string {
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (!newest) throw new Error(INSTALL_HINT);
  return path.join(root, newest, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// initdb refuses to run as root, so as root the cluster belongs to Debian's `postgres` user.
function asClusterOwner(bin: string, args: string[]): [string, string[]] {
  const isRoot = process.getuid?.() === 0;
  return isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function exec(bin: string, args: string[], what: string, logFile?: string): Promise<void> {
  const [file, argv] = asClusterOwner(bin, args);
  try {
    await run(file, argv, { timeout: 60_000 });
  } catch (error) {
    const log = logFile && fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`PostgreSQL test cluster: ${what} failed: ${detail}${log ? `\nserver log:\n${log}` : ''}`);
  }
}

/**
 * Starts a fresh cluster (about 2 s here). Durability settings are off because the cluster is
 * thrown away at the end of the run: nothing in the tests survives a power cut of PostgreSQL.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'pg');
  const logFile = path.join(dir, 'log');
  const pgCtl = path.join(bin, 'pg_ctl');
  let started = false;
  const stop = async (): Promise<void> => {
    if (started) {
      started = false;
      await exec(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop'], 'stop', logFile).catch(() =>
        exec(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], 'immediate stop', logFile),
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A vitest that exits without its teardown (Ctrl-C, an early error) must not leave the server
  // running or its directory behind.
  const onExit = (): void => {
    if (started) {
      const [file, argv] = asClusterOwner(pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
      try {
        execFileSync(file, argv, { stdio: 'ignore', timeout: 10_000 });
      } catch {
        // Nothing more can be done while the process exits.
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    await exec(
      path.join(bin, 'initdb'),
      ['-D', data, '-A', 'trust', '-U', 'credmate', '-E', 'UTF8', '--no-sync'],
      'initdb',
    );
    const port = await startOnFreePort(pgCtl, data, dir, logFile, () => (started = true));
    return {
      url: `postgres://credmate@127.0.0.1:${port}/postgres`,
      port,
      dir,
      stop: async () => {
        process.removeListener('exit', onExit);
        await stop();
      },
    };
  } catch (error) {
    process.removeListener('exit', onExit);
    await stop().catch(() => undefined);
    throw error;
  }
}

// The free port is found before the server binds it, so another process may take it in between:
// try a few ports before giving up.
async function startOnFreePort(
  pgCtl: string,
  data: string,
  dir: string,
  logFile: string,
  markStarted: () => void,
): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
    ].join(' ');
    try {
      await exec(pgCtl, ['-D', data, '-o', options, '-l', logFile, '-w', '-t', '60', 'start'], 'start', logFile);
      markStarted();
      return port;
    } catch (error) {
      lastError = error;
      // pg_ctl -w gave up waiting, but the postmaster may still be starting (and stop() skips a
      // cluster never marked started): stop it before trying another port or giving up.
      await exec(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], 'immediate stop', logFile).catch(
        () => undefined,
      );
    }
  }
  throw lastError;
}
