import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../../server/jobs/worker-config';
import { startWorkerPool } from '../../server/jobs/worker-pool';
import { createLogger } from '../../server/log';

/** A real child process with an IPC channel that counts the wake messages it receives. */
const COUNTING_WORKER = `
let wakes = 0;
process.on('message', (m) => {
  if (m.type === 'wake') wakes++;
  if (m.type === 'count') process.send({ wakes });
});
process.on('SIGTERM', () => process.exit(0));
`;

describe('worker pool', () => {
  it('sends one wake per event-loop turn, however many completes the turn answered', async () => {
    const children: ReturnType<typeof spawn>[] = [];
    const pool = startWorkerPool(1, {} as Omit<WorkerConfig, 'workerId'>, createLogger('error'), () => {
      const child = spawn(process.execPath, ['-e', COUNTING_WORKER], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      return child;
    });
    const count = () =>
      new Promise<number>((resolve) => {
        children[0]!.once('message', (m: { wakes: number }) => resolve(m.wakes));
        children[0]!.send({ type: 'count' });
      });
    try {
      for (let i = 0; i < 100; i++) pool.wake();
      await new Promise((r) => setImmediate(r));
      for (let i = 0; i < 100; i++) pool.wake();
      await new Promise((r) => setImmediate(r));
      expect(await count()).toBe(2);
    } finally {
      await pool.stop(5_000);
    }
  });
});
