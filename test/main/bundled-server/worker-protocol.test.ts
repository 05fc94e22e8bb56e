/**
 * The worker relay for the server inside Electron's utilityProcess, with the server's real worker
 * pool on one side and real processes on the other (a stand-in script per worker, since what is
 * under test is who starts, restarts and stops them, not extraction). The two message ports are
 * an in-memory pair, as Electron's parentPort/UtilityProcess would be.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  serveWorkerRequests,
  workerSpawnerOverPort,
  type MessagePortLike,
} from '../../../main/bundled-server/worker-protocol';
import { startWorkerPool } from '../../../server/jobs/worker-pool';
import { WORKER_CONFIG_ENV, type WorkerConfig } from '../../../server/jobs/worker-config';
import { createLogger } from '../../../server/log';

function portPair(): [MessagePortLike, MessagePortLike] {
  const a = new EventEmitter();
  const b = new EventEmitter();
  // Electron's utility process side receives { data }; the main side receives the message itself.
  return [
    { postMessage: (m) => setImmediate(() => b.emit('message', m)), on: (e, l) => a.on(e, l) },
    { postMessage: (m) => setImmediate(() => a.emit('message', { data: m })), on: (e, l) => b.on(e, l) },
  ];
}

const started: ChildProcess[] = [];
function forkStandIn(env: Record<string, string | undefined>): ChildProcess {
  const child = spawn(
    process.execPath,
    ['-e', 'process.on("SIGTERM", () => process.exit(0)); setInterval(() => {}, 1000);'],
    { env: env as NodeJS.ProcessEnv, stdio: 'ignore' },
  );
  started.push(child);
  return child;
}

const alive = (pid: number | undefined) => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(read: () => T, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const base: Omit<WorkerConfig, 'workerId'> = {
  dataDir: '/nonexistent',
  bucket: 'b',
  s3: { region: 'us-east-1' } as WorkerConfig['s3'],
  deadlines: {} as WorkerConfig['deadlines'],
  policy: {} as WorkerConfig['policy'],
  pollMs: 1000,
  drainMs: 1000,
  extraction: { timeoutMs: 1000, memoryMb: 64, maxPages: 1 },
  logLevel: 'error',
};

afterEach(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  started.length = 0;
});

describe('workers forked by main for the utility-process server', () => {
  it('starts the pool workers as real processes with their config, restarts a killed one, stops them all', async () => {
    const [serverPort, mainPort] = portPair();
    const stopLeftovers = serveWorkerRequests(mainPort, forkStandIn);
    const spawnWorker = workerSpawnerOverPort(serverPort);
    const pool = startWorkerPool(2, base, createLogger('error'), (env) => spawnWorker(env) as unknown as ChildProcess);

    const pids = await until(
      () => pool.pids(),
      (p) => p.length === 2,
    );
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(true);
    const environ = readFileSync(`/proc/${pids[0]}/environ`, 'utf8');
    expect(environ).toContain(`${WORKER_CONFIG_ENV}=`);
    expect(environ).toContain('"dataDir":"/nonexistent"');

    process.kill(pids[0]!, 'SIGKILL');
    const after = await until(
      () => pool.pids(),
      (p) => p.length === 2 && !p.includes(pids[0]!),
    );
    expect(after).toContain(pids[1]);
    expect(after).not.toContain(pids[0]);

    await pool.stop(5_000);
    for (const pid of after) expect(alive(pid)).toBe(false);
    expect(started.every((c) => c.exitCode === 0 || c.signalCode !== null)).toBe(true);
    stopLeftovers();
  });

  it('escalates to SIGKILL through the pid, and kills leftovers when the server goes', async () => {
    const [serverPort, mainPort] = portPair();
    const stopLeftovers = serveWorkerRequests(mainPort, forkStandIn);
    const spawnWorker = workerSpawnerOverPort(serverPort);
    const one = spawnWorker({ MARK: '1' });
    const two = spawnWorker({ MARK: '2' });
    await until(
      () => [one.pid, two.pid],
      (p) => p.every((x) => x !== undefined),
    );
    const exit = new Promise<unknown[]>((r) => one.once('exit', (...args: unknown[]) => r(args)));
    one.kill('SIGKILL');
    expect(await exit).toEqual([null, 'SIGKILL']);
    expect(one.kill('SIGTERM')).toBe(false);

    stopLeftovers();
    // SIGTERM: exit 0 from the handler, or the signal itself if it landed before the script ran.
    await until(
      () => [two.exitCode, two.signalCode],
      ([c, s]) => c !== null || s !== null,
    );
    expect(two.exitCode === 0 || two.signalCode === 'SIGTERM').toBe(true);
    expect(alive(two.pid)).toBe(false);
  });
});
