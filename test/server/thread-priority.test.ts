import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makePdf } from '../helpers/pdf-fixtures';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes } from '../helpers/upload-client';

/** Nice value by thread id of a process's threads (Linux /proc: field 19 of a thread's stat). */
function threadNiceness(pid: number): Map<number, number> {
  return new Map(
    fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return [Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    }),
  );
}

/**
 * Background work yields the CPU to the API: the extraction worker process (every thread) and
 * the embedded store's thread run at a lower priority; the API's own threads do not.
 */
describe.runIf(process.platform === 'linux')('CPU priorities of the bundled server', () => {
  let srv: TestServer | undefined;
  afterEach(async () => {
    await srv?.stop();
  });

  it('runs the extraction worker and the store threads niced, the API thread at normal priority', async () => {
    // Compiled, as users run it: under tsx each thread also starts a loader thread of its own.
    srv = await startTestServer({ compiled: true, env: { CREDMATE_WORKERS: '1' } });
    const started = await srv.waitForLog((l) => l.event === 'worker.started');
    // A small document through the store: its writer thread starts with the first one.
    await uploadBytes(srv, await srv.login(), await makePdf('priorities', 1));
    const worker = [...threadNiceness(started.pid as number).values()];
    expect(worker.length).toBeGreaterThan(1);
    expect(new Set(worker)).toEqual(new Set([10]));

    const server = threadNiceness(srv.proc.pid!);
    // The main thread (tid = pid) is the API's; the store's thread (5) and its small-object writer (10) are lowered.
    expect(server.get(srv.proc.pid!)).toBe(0);
    expect([...server.values()].filter((n) => n !== 0).sort((a, b) => a - b)).toEqual([5, 10]);
  });
});
