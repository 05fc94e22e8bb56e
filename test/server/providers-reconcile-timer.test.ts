import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppDeps } from '../../server/app-env';
import { providerRoutes, startProviderReconcile } from '../../server/routes/provider-routes';

afterEach(() => {
  vi.useRealTimers();
});

/** Deps whose database counts the reconciler's look-ups of organisations (none found). */
function countingDeps() {
  const calls = { n: 0 };
  const units = {
    read: () => {
      calls.n++;
      return Promise.resolve([]);
    },
    write: vi.fn(),
  };
  const log = { warn: vi.fn(), info: vi.fn(), error: vi.fn() };
  return { calls, deps: { units, log } as unknown as AppDeps };
}

describe('provider reconcile timer', () => {
  it('is not started by the routes, runs while the server runs and stops with it', () => {
    vi.useFakeTimers();
    const { calls, deps } = countingDeps();
    providerRoutes(deps);
    vi.advanceTimersByTime(120_000);
    expect(calls.n).toBe(0);

    const stop = startProviderReconcile(deps);
    vi.advanceTimersByTime(30_000);
    expect(calls.n).toBe(1);
    stop();
    vi.advanceTimersByTime(120_000);
    expect(calls.n).toBe(1);
  });
});
