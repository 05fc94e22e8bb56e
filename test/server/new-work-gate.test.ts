import { describe, expect, it } from 'vitest';
import { NewWorkGate } from '../../server/new-work-gate';

/** Keeps the thread busy, as a registration's handler does. */
function work(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('new-work gate', () => {
  it('admits parked work a budget per event-loop turn, letting work that arrives meanwhile go first', async () => {
    const gate = new NewWorkGate(3);
    const order: string[] = [];
    const admitted = Array.from({ length: 10 }, (_, i) =>
      gate.admit().then(() => {
        work(1);
        order.push(`new${i}`);
        // Stands for a complete that arrives while registrations are worked through.
        if (i === 0) setTimeout(() => order.push('in-flight'), 0);
      }),
    );
    await Promise.all(admitted);
    await new Promise((r) => setTimeout(r, 5));
    expect(order.filter((o) => o.startsWith('new'))).toEqual(Array.from({ length: 10 }, (_, i) => `new${i}`));
    // It waited for the first turn's share (~3 of 1 ms each), not for all ten.
    const at = order.indexOf('in-flight');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(6);
  });

  it('admits at least one per turn, so new work is slowed under load but never starved', async () => {
    const gate = new NewWorkGate(0);
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const admittedAt: number[] = [];
    await Promise.all(Array.from({ length: 3 }, () => gate.admit().then(() => admittedAt.push(turns))));
    counting = false;
    expect(admittedAt).toHaveLength(3);
    expect(new Set(admittedAt).size).toBe(3); // one per turn
  });
});
