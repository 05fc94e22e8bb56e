import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { readReadyLine } from '../../../main/core/bundled-server/read-ready-line';
import { formatReadyLine, parseReadyLine } from '../../../node-shared/ready-line';

const ready = {
  api: 'http://127.0.0.1:41234',
  s3: { endpoint: 'http://127.0.0.1:41235', bucket: 'credmate', region: 'us-east-1' },
};
const never = new Promise<void>(() => undefined);

describe('the ready line: one schema, one writer, one reader', () => {
  it('reads what the server writes, past stray lines before it', async () => {
    const stdout = new PassThrough();
    const read = readReadyLine(stdout, {
      exited: never,
      timeoutMs: 60_000,
      timeoutMessage: 'late',
      exitedMessage: () => 'gone',
    });
    stdout.write('not json\n');
    stdout.write('{"event":"ready","api":"not a url"}\n');
    stdout.write(formatReadyLine(ready));
    await expect(read).resolves.toEqual({ event: 'ready', ...ready });
  });

  it('does not take a line without the store for the ready line', () => {
    expect(parseReadyLine(JSON.stringify({ event: 'ready', api: ready.api }))).toBeNull();
    expect(parseReadyLine(formatReadyLine(ready).trim())).toEqual({ event: 'ready', ...ready });
  });

  it('rejects with kind unavailable when the server exits before its ready line', async () => {
    const stdout = new PassThrough();
    let exit = (): void => undefined;
    const exited = new Promise<void>((r) => (exit = r));
    const read = readReadyLine(stdout, {
      exited,
      timeoutMs: 60_000,
      timeoutMessage: 'late',
      exitedMessage: () => 'bucket missing',
    });
    exit();
    const err = await read.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: 'unavailable', message: 'bucket missing' });
  });
});
