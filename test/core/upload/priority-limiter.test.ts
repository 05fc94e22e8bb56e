import { describe, expect, it } from 'vitest';
import { PRIORITY, PriorityLimiter } from '../../../main/core/upload/priority-limiter';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('PriorityLimiter', () => {
  it('never runs more than the limit, and serves completes before parts before registrations', async () => {
    const lim = new PriorityLimiter(2);
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const gates: (() => void)[] = [];
    const task = (name: string) => async (): Promise<void> => {
      running++;
      peak = Math.max(peak, running);
      order.push(name);
      await new Promise<void>((r) => gates.push(r));
      running--;
    };
    const all = [
      lim.run(PRIORITY.part, task('p1')),
      lim.run(PRIORITY.part, task('p2')),
      lim.run(PRIORITY.register, task('r1')),
      lim.run(PRIORITY.part, task('p3')),
      lim.run(PRIORITY.finish, task('c1')),
    ];
    await tick();
    while (gates.length) {
      gates.shift()?.();
      await tick();
      await tick();
    }
    await Promise.all(all);
    expect(peak).toBe(2);
    expect(order).toEqual(['p1', 'p2', 'c1', 'p3', 'r1']);
  });

  it('drops a waiter whose signal aborts, without taking a slot', async () => {
    const lim = new PriorityLimiter(1);
    let release = (): void => undefined;
    const first = lim.run(PRIORITY.part, () => new Promise<void>((r) => (release = r)));
    const ctrl = new AbortController();
    const second = lim.run(PRIORITY.part, async () => 'ran', ctrl.signal);
    ctrl.abort(new Error('stop'));
    await expect(second).rejects.toThrow('stop');
    release();
    await first;
    expect(lim.running).toBe(0);
    await expect(lim.run(PRIORITY.part, async () => 'ok')).resolves.toBe('ok');
  });
});
