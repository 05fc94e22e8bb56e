import type { QueueStore } from '../db/queue-store';
import { PRIORITY } from './priority-limiter';
import { runRequest, type RequestRunnerDeps } from './request-runner';

export interface ServerBatchInfo {
  serverBatchId: string | null;
  provider: string | null;
}

/**
 * Creates each local batch's server batch once, on first use, and remembers its id in the queue.
 * The creation runs under the engine's lifetime, not one file's: pausing the file that happened to
 * ask first must not fail its siblings.
 */
export class ServerBatches {
  private readonly pending = new Map<string, Promise<ServerBatchInfo>>();
  private lifetime = new AbortController();

  constructor(
    private readonly deps: RequestRunnerDeps,
    private readonly queue: QueueStore,
  ) {}

  /**
   * Resolves the server batch for `localBatchId`; `signal` lets one file stop waiting. With
   * `countKnown: false` (created while the scan is still queueing files) no file count is sent.
   */
  resolve(
    localBatchId: string,
    signal: AbortSignal,
    opts: { countKnown: boolean } = { countKnown: true },
  ): Promise<ServerBatchInfo> {
    let p = this.pending.get(localBatchId);
    if (!p) {
      p = this.create(localBatchId, this.lifetime.signal, opts.countKnown);
      this.pending.set(localBatchId, p);
      // A failed creation is tried again by the next file rather than remembered.
      p.catch(() => this.pending.delete(localBatchId));
    }
    return raceAbort(p, signal);
  }

  /** Abandons creations in flight (engine stopped). */
  stop(): void {
    this.lifetime.abort(new DOMException('Engine stopped', 'AbortError'));
    this.lifetime = new AbortController();
    this.pending.clear();
  }

  private async create(localBatchId: string, signal: AbortSignal, countKnown: boolean): Promise<ServerBatchInfo> {
    const b = this.queue.getBatch(localBatchId);
    if (!b) return { serverBatchId: null, provider: null };
    if (b.serverBatchId) return { serverBatchId: b.serverBatchId, provider: b.provider };
    const created = await runRequest(this.deps, { priority: PRIORITY.finish, target: 'api', signal }, () =>
      this.deps.api.createBatch(
        { name: b.name, ...(countKnown && b.fileCount > 0 ? { expectedFiles: b.fileCount } : {}) },
        signal,
      ),
    );
    this.queue.setServerBatchId(localBatchId, created.id);
    return { serverBatchId: created.id, provider: b.provider };
  }
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
