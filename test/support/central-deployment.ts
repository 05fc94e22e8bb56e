/**
 * The central deployment as real processes, for fault tests and benchmarks: a standalone store
 * (`credmate store`), N API processes (`credmate server --database-url … --workers 0`) behind one
 * address (a round-robin TCP proxy, as a load balancer in front of them would be), and M worker
 * processes (`credmate worker --database-url …`), all on one PostgreSQL database.
 *
 * ```ts
 * const pg = await createTestDatabase();
 * const d = await startCentralDeployment({ databaseUrl: pg.url, apis: 2, workers: 3 });
 * await d.addUser({ org: 'Clinic', email: 'a@x.test', password: 'a-long-password-1' });
 * // d.url is the proxy: `${d.url}/api/v1/...`; d.apis[0].crash() is a SIGKILL of that API (and its children).
 * await d.stop();
 * ```
 *
 * Every process is started in its own process group, so crash() kills what it started too (a
 * worker's extraction processes, as when its machine dies), and stop() leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { REPO_ROOT, addUser, type NewUser } from '../helpers/test-server';

const CLI = path.join(REPO_ROOT, 'main/cli/index.ts');
const STOP_DEADLINE_MS = 20_000;
const READY_DEADLINE_MS = 60_000;

export interface ManagedProcess {
  name: string;
  proc: ChildProcess;
  /** The last stderr lines (JSON log lines), for failure messages. */
  logs(): string[];
  alive(): boolean;
  exited: Promise<number | null>;
  /** Resolves with the first stderr line (past or future) containing `text`; rejects after the deadline or on exit. */
  waitForLog(text: string, count?: number, timeoutMs?: number): Promise<void>;
  /** SIGKILL of the process and every process it started (its process group): a crash, no drain. */
  crash(): Promise<void>;
  /** SIGTERM to its group, then SIGKILL past the deadline. */
  stop(): Promise<void>;
}

function signalGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  if (proc.pid === undefined) return;
  try {
    process.kill(-proc.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Starts `credmate <args>` in its own process group with its stderr kept (the last 200 lines). */
export function spawnCredmate(name: string, args: string[], env: Record<string, string>): ManagedProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const waiters: Array<{ text: string; left: number; done: () => void }> = [];
  readline.createInterface({ input: proc.stderr! }).on('line', (line) => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
    for (const w of [...waiters]) if (line.includes(w.text) && --w.left === 0) w.done();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  return {
    name,
    proc,
    logs: () => [...lines],
    alive,
    exited,
    waitForLog(text, count = 1, timeoutMs = READY_DEADLINE_MS) {
      const seen = lines.filter((l) => l.includes(text)).length;
      if (seen >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const fail = (why: string) =>
          reject(new Error(`${name}: ${why} before "${text}":\n${lines.slice(-15).join('\n')}`));
        const timer = setTimeout(() => fail(`no log line within ${timeoutMs} ms`), timeoutMs);
        void exited.then((code) => fail(`exited with ${code}`));
        waiters.push({ text, left: count - seen, done: () => (clearTimeout(timer), resolve()) });
      });
    },
    async crash() {
      signalGroup(proc, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (!alive()) {
        signalGroup(proc, 'SIGKILL'); // children the leader left behind
        return;
      }
      signalGroup(proc, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(proc, 'SIGKILL'), STOP_DEADLINE_MS);
      await exited;
      clearTimeout(timer);
      signalGroup(proc, 'SIGKILL');
    },
  };
}

/** The process's first stdout line as JSON (the ready line of `credmate store` and `credmate server`). */
function readyLine<T>(p: ManagedProcess): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${p.name}: not ready within ${READY_DEADLINE_MS} ms:\n${p.logs().join('\n')}`)),
      READY_DEADLINE_MS,
    );
    readline.createInterface({ input: p.proc.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${p.name}: unexpected first stdout line: ${line}`));
      }
    });
    void p.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${p.name} exited with ${code} before ready:\n${p.logs().join('\n')}`));
    });
  });
}

export interface RoundRobinProxy {
  url: string;
  port: number;
  /** Connections taken, and connections some backend refused (each then tried on the next). */
  stats(): { connections: number; refused: number; unserved: number };
  close(): Promise<void>;
}

/**
 * A TCP load balancer in miniature: each new connection goes to the next backend in turn; a backend
 * that refuses the connection (its process is dead) is skipped for the next one, and a connection
 * no backend takes is closed. A backend that dies mid-connection closes its clients' connections,
 * as a real balancer's would: the client sees a network error and retries.
 */
export function startRoundRobinProxy(backends: Array<{ host: string; port: number }>): Promise<RoundRobinProxy> {
  let turn = 0;
  const stats = { connections: 0, refused: 0, unserved: 0 };
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const server = net.createServer((client) => {
    track(client);
    stats.connections++;
    client.on('error', () => undefined);
    const first = turn++ % backends.length;
    const attempt = (tried: number) => {
      if (tried >= backends.length || client.destroyed) {
        stats.unserved++;
        client.destroy();
        return;
      }
      const b = backends[(first + tried) % backends.length]!;
      const upstream = net.connect(b.port, b.host);
      track(upstream);
      const refused = () => {
        stats.refused++;
        upstream.destroy();
        attempt(tried + 1);
      };
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        upstream.on('error', () => client.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      });
    };
    attempt(0);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        stats: () => ({ ...stats }),
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface CentralDeploymentOptions {
  databaseUrl: string;
  apis?: number;
  workers?: number;
  /** `credmate worker --concurrency` of each worker process (default 1). */
  workerConcurrency?: number;
  /** Extra CREDMATE_* variables for every process (deadlines, job policy). */
  env?: Record<string, string>;
  /** Accounts added (`credmate users add --database-url`) while the other processes start. */
  users?: NewUser[];
}

export interface CentralDeployment {
  /** The proxy's base URL: API routes are under `${url}/api/v1`. */
  url: string;
  databaseUrl: string;
  s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };
  store: ManagedProcess;
  apis: Array<ManagedProcess & { apiUrl: string }>;
  workers: ManagedProcess[];
  proxy: RoundRobinProxy;
  addUser(u: NewUser): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the store, the first API process (it migrates the database: migrations run once, by one
 * process), then the other API processes and the workers together, and the proxy in front of the
 * APIs. Every process shares one audit key (CREDMATE_AUDIT_KEY), as a deployment's must: each
 * API process appends to the same chain.
 */
export async function startCentralDeployment(opts: CentralDeploymentOptions): Promise<CentralDeployment> {
  const dirs: string[] = [];
  const tmp = (prefix: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const env = {
    CREDMATE_S3_ACCESS_KEY_ID: 'CENTRALKEY1',
    CREDMATE_S3_SECRET_ACCESS_KEY: `central-${crypto.randomBytes(12).toString('hex')}`,
    CREDMATE_AUDIT_KEY: crypto.randomBytes(32).toString('hex'),
    CREDMATE_LOG_LEVEL: 'info',
    ...opts.env,
  };
  const started: ManagedProcess[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((p) => p.stop()));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  };
  try {
    const store = spawnCredmate('store', ['store', '--data-dir', tmp('credmate-central-store-'), '--port', '0'], env);
    started.push(store);
    const s3 = (await readyLine<{ s3: { endpoint: string; bucket: string; region: string } }>(store)).s3;
    const s3Flags = ['--s3-endpoint', s3.endpoint, '--s3-bucket', s3.bucket];
    const startApi = async (i: number) => {
      const dataDir = tmp(`credmate-central-api${i}-`);
      const p = spawnCredmate(
        `api${i}`,
        [
          'server',
          '--database-url',
          opts.databaseUrl,
          '--workers',
          '0',
          '--port',
          '0',
          '--host',
          '127.0.0.1',
          '--data-dir',
          dataDir,
          ...s3Flags,
        ],
        env,
      );
      started.push(p);
      return Object.assign(p, { apiUrl: (await readyLine<{ api: string }>(p)).api });
    };
    const startWorker = async (i: number) => {
      const concurrency = opts.workerConcurrency ?? 1;
      const p = spawnCredmate(
        `worker${i}`,
        ['worker', '--database-url', opts.databaseUrl, '--concurrency', String(concurrency), ...s3Flags],
        env,
      );
      started.push(p);
      await p.waitForLog('"worker.started"', concurrency);
      return p;
    };
    const apis = [await startApi(0)];
    const [more, workers] = await Promise.all([
      Promise.all(Array.from({ length: (opts.apis ?? 2) - 1 }, (_, i) => startApi(i + 1))),
      Promise.all(Array.from({ length: opts.workers ?? 3 }, (_, i) => startWorker(i))),
      Promise.all((opts.users ?? []).map((u) => addUser(['--database-url', opts.databaseUrl], env, u))),
    ]);
    apis.push(...more);
    const proxy = await startRoundRobinProxy(
      apis.map((a) => ({ host: new URL(a.apiUrl).hostname, port: Number(new URL(a.apiUrl).port) })),
    );
    return {
      url: proxy.url,
      databaseUrl: opts.databaseUrl,
      s3: { ...s3, accessKeyId: env.CREDMATE_S3_ACCESS_KEY_ID, secretAccessKey: env.CREDMATE_S3_SECRET_ACCESS_KEY },
      store,
      apis,
      workers,
      proxy,
      addUser: (u) => addUser(['--database-url', opts.databaseUrl], env, u),
      async stop() {
        await proxy.close();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
