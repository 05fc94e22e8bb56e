import { describe, expect, it } from 'vitest';
import type { HealthResponse } from '../../../common/api';
import { Connectivity, uploadsReachable } from '../../../main/core/upload/connectivity';

const health = (storageOk: boolean, queueOk = true): HealthResponse => ({
  status: storageOk && queueOk ? 'ok' : 'down',
  database: { ok: true },
  storage: { ok: storageOk },
  queue: { ok: queueOk, pending: 0, running: 0, dead: 0 },
});

describe('Connectivity', () => {
  it('goes offline once for many failures, probes until the store is back, then releases every waiter', async () => {
    const answers = [new Error('refused'), health(false), health(true, false)];
    let probes = 0;
    const c = new Connectivity(async () => {
      const a = answers[Math.min(probes++, answers.length - 1)];
      if (a instanceof Error) throw a;
      return a as HealthResponse;
    });
    const events: string[] = [];
    c.on('offline', () => events.push('offline'));
    c.on('online', () => events.push('online'));
    for (let i = 0; i < 50; i++) c.reportNetworkFailure('connect ECONNREFUSED');
    const waiters = Promise.all([c.waitOnline(), c.waitOnline(), c.waitOnline()]);
    expect(c.isOnline).toBe(false);
    await waiters;
    expect(events).toEqual(['offline', 'online']);
    // A dead extraction worker ("down" overall) does not keep uploads offline.
    expect(probes).toBe(3);
    expect(uploadsReachable(health(true, false))).toBe(true);
    expect(uploadsReachable(health(false))).toBe(false);
    c.close();
  });

  it('lets a waiter leave when its signal aborts', async () => {
    const c = new Connectivity(async () => {
      throw new Error('down');
    });
    c.reportNetworkFailure('down');
    const ctrl = new AbortController();
    const w = c.waitOnline(ctrl.signal);
    ctrl.abort(new Error('paused'));
    await expect(w).rejects.toThrow('paused');
    c.close();
    expect(c.isOnline).toBe(true);
  });
});
