/**
 * Test harness: starts the REAL server (`node --import tsx main/cli/index.ts server`) as a child process on
 * 127.0.0.1 port 0 with a fresh temp data dir, embedded s3rver and SQLite, and parses its ready line.
 *
 * Under `CREDMATE_TEST_DATABASE=postgres` (the `postgres` project in vitest.config.ts, which runs the
 * route tests a second time) each server runs as the central deployment does instead: on a fresh
 * database of the run's PostgreSQL cluster, with a standalone store (`credmate store`), an audit key
 * from the environment and pg-boss for its jobs. The local account is still made (CREDMATE_LOCAL_ACCOUNT),
 * so `login()` works the same on both.
 *
 * ```ts
 * const srv = await startTestServer({ env: { CREDMATE_JOB_LEASE_MS: '1000' } });
 * const token = await srv.login();                       // the local admin (local-account.json)
 * await srv.addUser({ org: 'B', email: 'b@x.test', password: 'long-password-1', role: 'reviewer' });
 * const res = await srv.api(token, 'POST', '/batches', { name: 'b1' }); // { status, body }
 * await srv.stop();                                      // SIGTERM, waits, returns the exit code; removes the data dir
 * ```
 *
 * - `apiUrl`: base URL (`http://127.0.0.1:PORT`); API routes are under `${apiUrl}/api/v1`.
 * - `s3`: endpoint, bucket, region and the store's keys (embedded: `<dataDir>/server/s3-keys.json`; external: from `opts.env`).
 * - `dataDir`: the temp data dir (server state in `<dataDir>/server/`); kept if `opts.dataDir` was given.
 * - `proc`: the server's ChildProcess; `logs()`: its stderr JSON log lines parsed so far;
 *   `waitForLog(pred, timeoutMs = 60 s)`: resolves with the first log line (past or future) matching `pred`.
 * - `login(email?, password?)`: a session token (defaults to the local account).
 * - `addUser(u)`: runs `credmate users add` against the data dir (creates the org when new).
 * - `stop(signal = 'SIGTERM')`: graceful stop, resolves the exit code; `kill()`: SIGKILL, no wait.
 * - `runCli(args, env)`: runs any `credmate` command to completion (exit code, stdout, stderr).
 * Also: `test/helpers/upload-client.ts` (`uploadBytes`, `waitFor`), `pdf-fixtures.ts` (`makePdf`),
 * `server-db.ts` (`openServerDb`, `storeClient`, `objectExists`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import crypto from 'node:crypto';
import type { DatabaseKind } from '../../server/db/kysely';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO_ROOT, 'main/cli/index.ts');
const HOLD_PRELOAD = path.join(REPO_ROOT, 'test/helpers/worker-hold-preload.mjs');
/** The database test servers run on unless a test says otherwise (see the header). */
export const TEST_DATABASE: DatabaseKind = process.env.CREDMATE_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
/** Node itself with tsx's loader (not the tsx CLI, whose extra parent process would survive a SIGKILL of its child and vice versa). */
const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;

export interface TestServerOptions {
  /** Extra CREDMATE_* variables (e.g. lease, attempts). */
  env?: Record<string, string>;
  /**
   * While this file exists, each job worker holds a claimed job (renewing its lease) before reading
   * its document: a hook preloaded into the server's processes (worker-hold-preload.mjs), not a server setting.
   */
  holdFile?: string;
  /** Extra `credmate server` flags. */
  args?: string[];
  /** Use this data dir instead of a fresh temp one (it is then not removed on stop). */
  dataDir?: string;
  /** Node flags for the server process (e.g. `--cpu-prof`), passed through tsx. */
  nodeArgs?: string[];
  /** Run the compiled command line, as `npm run credmate` does (benchmarks), instead of the sources through tsx. */
  compiled?: boolean;
  /** Ready-line deadline; default 30 s (the machine is shared). */
  readyTimeoutMs?: number;
  /** The server's database; default TEST_DATABASE. */
  database?: DatabaseKind;
}

export type LogLine = Record<string, unknown> & { event?: string; level?: string };

export interface TestServer {
  apiUrl: string;
  s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };
  dataDir: string;
  database: DatabaseKind;
  /** The PostgreSQL URL the server runs on (database `postgres` only). */
  databaseUrl?: string;
  /** How `credmate` commands (users, audit, ...) find this server's database: `--data-dir D` or `--database-url U`. */
  databaseArgs: string[];
  /** The environment those commands need besides databaseArgs (the audit key on PostgreSQL). */
  cliEnv: Record<string, string>;
  proc: ChildProcess;
  logs(): LogLine[];
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  login(email?: string, password?: string): Promise<string>;
  addUser(u: NewUser): Promise<void>;
  api<T = unknown>(
    token: string | null,
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  kill(): void;
}

/** Runs `credmate <args>` to completion; resolves exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`credmate ${args[0]} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What a server on PostgreSQL runs with: its database and a standalone store, both its own. */
interface CentralParts {
  databaseUrl: string;
  /** CREDMATE_AUDIT_KEY of the server, which `credmate` commands on its database need too. */
  auditKey: string;
  args: string[];
  env: Record<string, string>;
  release(): Promise<void>;
}

/** A fresh database on the run's cluster and a `credmate store` process with generated keys. */
async function startCentralParts(): Promise<CentralParts> {
  // Imported here: it reads the cluster's address from vitest, and benchmarks use this file too.
  const { createTestDatabase } = await import('../support/postgres');
  const pg = await createTestDatabase();
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-test-store-'));
  const env = {
    CREDMATE_S3_ACCESS_KEY_ID: `TEST${crypto.randomBytes(6).toString('hex').toUpperCase()}`,
    CREDMATE_S3_SECRET_ACCESS_KEY: crypto.randomBytes(24).toString('base64url'),
    CREDMATE_AUDIT_KEY: crypto.randomBytes(32).toString('hex'),
  };
  const store = spawn(process.execPath, [...NODE_TSX.slice(1), CLI, 'store', '--data-dir', storeDir, '--port', '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const release = async () => {
    if (store.exitCode === null && store.signalCode === null) {
      const gone = new Promise((resolve) => store.once('exit', resolve));
      store.kill('SIGTERM');
      await gone;
    }
    await pg.drop();
    fs.rmSync(storeDir, { recursive: true, force: true });
  };
  const line = await new Promise<string | null>((resolve) => {
    readline.createInterface({ input: store.stdout! }).once('line', resolve);
    store.once('exit', () => resolve(null));
  });
  if (line === null) {
    await release();
    throw new Error('credmate store exited before its ready line');
  }
  const s3 = (JSON.parse(line) as { s3: { endpoint: string; bucket: string } }).s3;
  return {
    databaseUrl: pg.url,
    auditKey: env.CREDMATE_AUDIT_KEY,
    args: ['--database-url', pg.url, '--s3-endpoint', s3.endpoint, '--s3-bucket', s3.bucket],
    env: { ...env, CREDMATE_LOCAL_ACCOUNT: 'true' },
    release,
  };
}

/** A user to add with `credmate users add` (its organisation is created when new). */
export interface NewUser {
  org: string;
  email: string;
  password: string;
  role?: 'admin' | 'reviewer' | 'uploader';
}

/** Runs `credmate users add` on the database `databaseArgs` names (`--data-dir D` or `--database-url U`). */
export async function addUser(databaseArgs: string[], env: Record<string, string>, u: NewUser): Promise<void> {
  const args = ['--org', u.org, '--email', u.email, '--password', u.password, '--role', u.role ?? 'admin'];
  const out = await runCli(['users', 'add', ...databaseArgs, ...args], env);
  if (out.code !== 0) throw new Error(`users add failed (${out.code}): ${out.stderr}`);
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-test-'));
  if (opts.holdFile && opts.compiled) throw new Error('holdFile needs the sources under tsx, not the compiled command');
  const database = opts.database ?? TEST_DATABASE;
  const central = database === 'postgres' ? await startCentralParts() : undefined;
  const databaseArgs = central ? ['--database-url', central.databaseUrl] : ['--data-dir', dataDir];
  const cliEnv: Record<string, string> = central ? { CREDMATE_AUDIT_KEY: central.auditKey } : {};
  // After tsx's loader: the preload imports the worker's TypeScript hook module.
  const hold = opts.holdFile ? ['--import', pathToFileURL(HOLD_PRELOAD).href] : [];
  const entry = opts.compiled ? [path.join(REPO_ROOT, 'scripts/credmate.mjs')] : [...NODE_TSX.slice(1), ...hold, CLI];
  const proc = spawn(
    process.execPath,
    [
      ...(opts.nodeArgs ?? []),
      ...entry,
      'server',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      ...(central?.args ?? []),
      ...(opts.args ?? []),
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CREDMATE_LOG_LEVEL: 'info',
        ...(opts.holdFile ? { CREDMATE_TEST_HOLD_FILE: opts.holdFile } : {}),
        ...central?.env,
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: LogLine[] = [];
  const waiters: Array<{ pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  let stderrTail = '';
  readline.createInterface({ input: proc.stderr! }).on('line', (line) => {
    stderrTail = `${stderrTail}${line}\n`.slice(-4000);
    let parsed: LogLine;
    try {
      parsed = JSON.parse(line) as LogLine;
    } catch {
      return;
    }
    logs.push(parsed);
    for (const w of [...waiters]) {
      if (!w.pred(parsed)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(parsed);
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  const readyLine = new Promise<{ api: string; s3: { endpoint: string; bucket: string; region: string } }>(
    (resolve, reject) => {
      const fail = (err: Error) => {
        proc.kill('SIGKILL');
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new Error(`server not ready within ${opts.readyTimeoutMs ?? 30_000} ms:\n${stderrTail}`)),
        opts.readyTimeoutMs ?? 30_000,
      );
      readline.createInterface({ input: proc.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line));
        } catch {
          fail(new Error(`unexpected first stdout line: ${line}`));
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code} before ready:\n${stderrTail}`));
      });
    },
  );
  const ready = await readyLine.catch(async (err: unknown) => {
    await central?.release();
    throw err;
  });
  const keysFile = path.join(dataDir, 'server', 's3-keys.json');
  // External storage (CREDMATE_STORAGE=s3) has no generated keys: report the ones it was given.
  const given = { ...central?.env, ...opts.env };
  const keys = fs.existsSync(keysFile)
    ? (JSON.parse(fs.readFileSync(keysFile, 'utf8')) as { accessKeyId: string; secretAccessKey: string })
    : {
        accessKeyId: given.CREDMATE_S3_ACCESS_KEY_ID ?? '',
        secretAccessKey: given.CREDMATE_S3_SECRET_ACCESS_KEY ?? '',
      };

  const api: TestServer['api'] = async (token, method, route, body) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${ready.api}/api/v1${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
  };

  return {
    apiUrl: ready.api,
    s3: { ...ready.s3, ...keys },
    dataDir,
    database,
    databaseUrl: central?.databaseUrl,
    databaseArgs,
    cliEnv,
    proc,
    logs: () => logs,
    waitForLog(pred, timeoutMs = 60_000) {
      const past = logs.find(pred);
      if (past) return Promise.resolve(past);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const recent = logs
            .slice(-8)
            .map((l) => JSON.stringify(l))
            .join('\n');
          reject(new Error(`no matching log line within ${timeoutMs} ms; the last ones:\n${recent}`));
        }, timeoutMs);
        waiters.push({ pred, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      });
    },
    async login(email, password) {
      if (!email) {
        const local = JSON.parse(fs.readFileSync(path.join(dataDir, 'server', 'local-account.json'), 'utf8')) as {
          email: string;
          password: string;
        };
        email = local.email;
        password = local.password;
      }
      const res = await api<{ token: string }>(null, 'POST', '/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token;
    },
    addUser: (u) => addUser(databaseArgs, cliEnv, u),
    api,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const code = await exited;
      await central?.release();
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    kill() {
      proc.kill('SIGKILL');
    },
  };
}
