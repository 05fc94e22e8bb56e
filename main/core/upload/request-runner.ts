import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from '../api-client';
import type { Connectivity } from './connectivity';
import type { Priority, PriorityLimiter } from './priority-limiter';
import { decideRetry } from './retry-table';

const MAX_RESIGNS = 3;
const MAX_REAUTHS = 2;

export interface RequestRunnerDeps {
  api: ApiClient;
  limiter: PriorityLimiter;
  connectivity: Connectivity;
  /** Signs in again after a 401 (the session expired or the server restarted with new sessions). */
  reauth: (signal: AbortSignal) => Promise<void>;
}

/**
 * Runs one logical request through the retry table: each attempt takes a limiter slot, and waits
 * (offline, backoff) happen outside the slot so a dead server never blocks the limiter.
 * `prepare` runs before each attempt outside the slot (signing a URL); `onResign` before retrying
 * a store request refused with 403.
 */
export async function runRequest<T>(
  deps: RequestRunnerDeps,
  opts: {
    priority: Priority;
    target: 'api' | 'store';
    signal: AbortSignal;
    onResign?: () => void;
    prepare?: () => Promise<void>;
  },
  attemptOnce: () => Promise<T>,
): Promise<T> {
  let backoffs = 0;
  let resigns = 0;
  let reauths = 0;
  for (;;) {
    opts.signal.throwIfAborted();
    await deps.connectivity.waitOnline(opts.signal);
    try {
      await opts.prepare?.();
      const value = await deps.limiter.run(opts.priority, attemptOnce, opts.signal);
      deps.connectivity.reportSuccess();
      return value;
    } catch (err) {
      if (opts.signal.aborted) throw opts.signal.reason;
      const d = decideRetry(err, backoffs, opts.target);
      switch (d.action) {
        case 'offline':
          deps.connectivity.reportNetworkFailure(err instanceof Error ? err.message : String(err));
          break;
        case 'backoff':
          backoffs++;
          await sleep(d.delayMs, undefined, { signal: opts.signal });
          break;
        case 'resign':
          if (++resigns > MAX_RESIGNS) throw err;
          opts.onResign?.();
          break;
        case 'reauth':
          if (++reauths > MAX_REAUTHS) throw err;
          await deps.reauth(opts.signal);
          break;
        case 'fail':
          throw d.error;
      }
    }
  }
}
