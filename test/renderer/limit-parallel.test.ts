import { describe, expect, it } from 'vitest';
import { limitParallel } from '../../renderer/pdf/limit-parallel';

describe('limitParallel', () => {
  it('never runs more than its limit, even when callers arrive as places free up, and runs them all in order', async () => {
    const slot = limitParallel(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const job = (n: number) =>
      slot(async () => {
        started.push(n);
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 1));
        running -= 1;
        // A newcomer arriving exactly as this place is handed on must wait its turn.
        if (n === 1) void job(99);
        return n;
      });
    const results = await Promise.all([1, 2, 3, 4, 5].map(job));
    await new Promise((r) => setTimeout(r, 20));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(started.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(started).toContain(99);
  });
});
