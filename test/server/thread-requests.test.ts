import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ThreadRequests } from '../../server/thread-requests';

/** Requests to a real thread body: the embedded store's small-object writer. */
describe('thread requests', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-thread-'));
  const writerModule = new URL('../../server/storage/small-object-writer.ts', import.meta.url).href;
  let thread: ThreadRequests<Record<string, unknown>> | undefined;
  afterEach(async () => {
    await thread?.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers, fails the requests of a thread that died, and starts a new one for the next', async () => {
    thread = new ThreadRequests(writerModule, 'small-object-writer-thread', 'writing the object');
    // The written file's stamp comes back in shared memory (small-object-writer-thread.ts).
    const stamp = new BigUint64Array(new SharedArrayBuffer(3 * 8));
    const write = (name: string) =>
      thread!.send({
        tmpPath: path.join(dir, `${name}.tmp`),
        finalPath: path.join(dir, name),
        body: Buffer.from(name),
        stamp,
      });
    await write('first');
    expect(fs.readFileSync(path.join(dir, 'first'), 'utf8')).toBe('first');
    expect(stamp[1]).toBe(BigInt('first'.length));

    // A request without paths throws in the body's own error handling: the thread dies.
    await expect(thread.send({})).rejects.toThrow(/^writing the object failed: /);
    expect(thread.waiting).toBe(false);

    await write('second');
    expect(fs.readFileSync(path.join(dir, 'second'), 'utf8')).toBe('second');
  });
});
