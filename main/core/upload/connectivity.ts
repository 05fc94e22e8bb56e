import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HealthResponse } from '../../../common/api';
import { fullJitterDelay } from './retry-table';

/**
 * Whether uploads can go on: the API, its database and its store answer. A stopped extraction
 * worker makes /health say "down" but does not stop uploads, so it is ignored here.
 */
export function uploadsReachable(h: HealthResponse): boolean {
  return h.database.ok && h.storage.ok;
}

const PROBE_BASE_MS = 500;
const PROBE_CAP_MS = 10_000;

/**
 * Online/offline state shared by every request of the engine. The first network failure flips it
 * offline (one event, not one per request); waiters sleep until a single probe loop sees the server
 * and its store healthy again, with jittered backoff between probes.
 */
export class Connectivity extends EventEmitter<{ online: []; offline: [reason: string] }> {
  private online = true;
  private waiters: (() => void)[] = [];
  private probing = false;
  private failuresSinceSuccess = 0;
  private closed = new AbortController();
  lastError: string | null = null;

  constructor(private readonly probe: (signal: AbortSignal) => Promise<HealthResponse>) {
    super();
  }

  get isOnline(): boolean {
    return this.online;
  }

  /** A request reached its target: backoff starts from the beginning next time. */
  reportSuccess(): void {
    this.failuresSinceSuccess = 0;
  }

  reportNetworkFailure(reason: string): void {
    this.lastError = reason;
    if (!this.online) return;
    this.online = false;
    this.emit('offline', reason);
    void this.probeUntilOnline();
  }

  /** Resolves at once when online, else when the probe succeeds; rejects when `signal` aborts. */
  waitOnline(signal?: AbortSignal): Promise<void> {
    if (this.online) return Promise.resolve();
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(signal?.reason);
      };
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(done);
    });
  }

  /** Stops probing (engine stopped); a later network failure starts a fresh probe loop. */
  close(): void {
    this.closed.abort();
    this.closed = new AbortController();
    this.probing = false;
    this.online = true;
  }

  private async probeUntilOnline(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    const stop = this.closed.signal;
    try {
      while (!this.online && !stop.aborted) {
        const delay =
          PROBE_BASE_MS + fullJitterDelay(this.failuresSinceSuccess++, Math.random, PROBE_BASE_MS, PROBE_CAP_MS);
        await sleep(delay, undefined, { signal: stop }).catch(() => undefined);
        if (stop.aborted) return;
        try {
          const h = await this.probe(stop);
          if (uploadsReachable(h)) this.setOnline();
          else
            this.lastError = `server reports: ${[h.database.ok ? null : 'database', h.storage.ok ? null : 'storage'].filter(Boolean).join(', ') || 'down'}`;
        } catch (err) {
          this.lastError = err instanceof Error ? err.message : String(err);
        }
      }
    } finally {
      if (!stop.aborted) this.probing = false;
    }
  }

  private setOnline(): void {
    this.online = true;
    this.lastError = null;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
    this.emit('online');
  }
}
