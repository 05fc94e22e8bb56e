/**
 * Extraction workers for a server that runs inside an Electron utilityProcess. Such a process
 * cannot start processes of its own (child_process.fork would need the runAsNode fuse, which is
 * off), so the server asks Electron main to fork each worker, over the utility process's message
 * port, and manages it through a stand-in with the ChildProcess surface its worker pool uses.
 * Plain Node on both sides, so it is tested with real processes.
 */
import { EventEmitter } from 'node:events';

/** Electron's parentPort / UtilityProcess: postMessage plus 'message' events. */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

export type WorkerRequest =
  | { type: 'worker.spawn'; id: number; env: Record<string, string | undefined> }
  | { type: 'worker.kill'; id: number; signal: NodeJS.Signals };
export type WorkerNotice =
  | { type: 'worker.spawned'; id: number; pid: number | undefined }
  | { type: 'worker.exit'; id: number; code: number | null; signal: NodeJS.Signals | null };

/** The parts of a ChildProcess the server's worker pool touches. */
export class WorkerStandIn extends EventEmitter {
  pid: number | undefined;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  /** Workers forked by Electron have no Node IPC channel: wake-ups fall back to the worker's own polling. */
  readonly connected = false;

  constructor(
    readonly id: number,
    private readonly port: MessagePortLike,
  ) {
    super();
  }

  send(_message: unknown, callback?: (err: Error | null) => void): boolean {
    callback?.(null);
    return false;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.exitCode !== null || this.signalCode !== null) return false;
    this.port.postMessage({ type: 'worker.kill', id: this.id, signal } satisfies WorkerRequest);
    return true;
  }
}

// One counter per process, so two spawners on the same port can never confuse their workers.
let nextWorkerId = 1;

/** Server side: returns a spawn function for startServer's `spawnWorker`. */
export function workerSpawnerOverPort(port: MessagePortLike): (env: NodeJS.ProcessEnv) => WorkerStandIn {
  const workers = new Map<number, WorkerStandIn>();
  port.on('message', (raw) => {
    // Electron wraps messages as { data }; a plain port passes them as they are.
    const message = ((raw as { data?: unknown })?.data ?? raw) as WorkerNotice;
    const worker = workers.get(message.id);
    if (!worker) return;
    if (message.type === 'worker.spawned') {
      worker.pid = message.pid;
      worker.emit('spawn');
    } else if (message.type === 'worker.exit') {
      workers.delete(message.id);
      worker.exitCode = message.code;
      worker.signalCode = message.signal;
      worker.emit('exit', message.code, message.signal);
    }
  });
  return (env) => {
    const worker = new WorkerStandIn(nextWorkerId++, port);
    workers.set(worker.id, worker);
    port.postMessage({ type: 'worker.spawn', id: worker.id, env: { ...env } } satisfies WorkerRequest);
    return worker;
  };
}

/** What main needs from a forked worker: Electron's UtilityProcess and Node's ChildProcess both fit. */
export interface ForkedWorker {
  pid?: number | undefined;
  kill(signal?: NodeJS.Signals | number): boolean;
  once(event: 'exit', listener: (code: number | null, signal?: NodeJS.Signals | null) => void): unknown;
}

/** Main side: serves the server process's requests; returns a function that kills every worker left. */
export function serveWorkerRequests(
  server: MessagePortLike,
  fork: (env: Record<string, string | undefined>) => ForkedWorker,
): () => void {
  const workers = new Map<number, ForkedWorker>();
  server.on('message', (raw) => {
    const message = ((raw as { data?: unknown })?.data ?? raw) as WorkerRequest;
    if (message?.type === 'worker.spawn') {
      const worker = fork(message.env);
      workers.set(message.id, worker);
      worker.once('exit', (code, signal) => {
        workers.delete(message.id);
        server.postMessage({
          type: 'worker.exit',
          id: message.id,
          code,
          signal: signal ?? null,
        } satisfies WorkerNotice);
      });
      server.postMessage({ type: 'worker.spawned', id: message.id, pid: worker.pid } satisfies WorkerNotice);
    } else if (message?.type === 'worker.kill') {
      const worker = workers.get(message.id);
      // Electron's UtilityProcess.kill() takes no signal; a SIGKILL goes through the pid.
      if (message.signal === 'SIGKILL' && worker?.pid) process.kill(worker.pid, 'SIGKILL');
      else worker?.kill(message.signal);
    }
  });
  return () => {
    for (const worker of workers.values()) worker.kill('SIGTERM');
  };
}
