import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { errorFields, type Logger } from '../log';
import { WORKER_CONFIG_ENV, type WorkerConfig } from './worker-config';

/** Starts a worker process for a config; Electron swaps in utilityProcess.fork. */
export type SpawnWorker = (env: NodeJS.ProcessEnv) => ChildProcess;

/** Beside this module: its TypeScript (under tsx or vitest) or the compiled entry of a build. */
export const WORKER_ENTRY = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './worker-entry.ts' : './worker-entry.js', import.meta.url),
);

/** Forks the worker entry with the same loader flags (tsx, when there is one) this process runs under. */
export const forkWorker: SpawnWorker = (env) =>
  fork(WORKER_ENTRY, [], { env, execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

export interface WorkerPool {
  /** Nudges idle workers after a complete so the queue lag is not a poll interval. */
  wake(): void;
  pids(): number[];
  stop(drainMs: number): Promise<void>;
}

/** Keeps `count` worker processes alive; one that dies is restarted after a growing pause. */
export function startWorkerPool(
  count: number,
  base: Omit<WorkerConfig, 'workerId'>,
  log: Logger,
  spawn: SpawnWorker = forkWorker,
): WorkerPool {
  const children = new Map<number, ChildProcess>();
  let stopping = false;
  const start = (slot: number, restarts: number) => {
    const config: WorkerConfig = { ...base, workerId: `w${slot}-${Date.now().toString(36)}` };
    const child = spawn({ ...process.env, [WORKER_CONFIG_ENV]: JSON.stringify(config) });
    children.set(slot, child);
    child.on('error', (err) => log.error('worker.spawn_error', { slot, ...errorFields(err) }));
    child.on('exit', (code, signal) => {
      if (children.get(slot) === child) children.delete(slot);
      if (stopping) return;
      const pauseMs = Math.min(30_000, 250 * 2 ** restarts);
      log.warn('worker.exited', { slot, code, signal, restartInMs: pauseMs });
      setTimeout(() => !stopping && start(slot, Math.min(restarts + 1, 7)), pauseMs).unref();
    });
    // A worker that ran a while before dying starts over with a short pause.
    setTimeout(() => children.get(slot) === child && (restarts = 0), 60_000).unref();
  };
  for (let slot = 0; slot < count; slot++) start(slot, 0);
  // One message per event-loop turn, however many completes the turn answered: an idle worker
  // only needs to hear that there is work (under a burst that was a hundred messages a turn).
  let wakeQueued = false;
  return {
    wake() {
      if (wakeQueued) return;
      wakeQueued = true;
      setImmediate(() => {
        wakeQueued = false;
        for (const child of children.values()) if (child.connected) child.send({ type: 'wake' }, () => undefined);
      });
    },
    pids: () => [...children.values()].flatMap((c) => (c.pid ? [c.pid] : [])),
    async stop(drainMs) {
      stopping = true;
      await Promise.all(
        [...children.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              const kill = setTimeout(() => child.kill('SIGKILL'), drainMs);
              child.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
