/**
 * Every channel whose argument schema names a local path (a `LocalPath`, common/domain.ts) has its
 * paths checked by the dispatch, and a refused path never reaches the handler.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LOCAL_PATH } from '../../common/domain';
import { CHANNEL_ARGS, type Channel } from '../../common/ipc';
import { dispatch, LOCAL_PATHS_OF, type Handlers } from '../../main/services/dispatch';
import { PickedPaths } from '../../main/services/picked-paths';

function namesLocalPath(channel: Channel): boolean {
  const schema = z.toJSONSchema(CHANNEL_ARGS[channel], { io: 'input', unrepresentable: 'any' });
  return JSON.stringify(schema).includes(`"${LOCAL_PATH}"`);
}

describe('local paths in the dispatch', () => {
  it('knows where the paths are in every channel whose schema holds one', () => {
    const channels = Object.keys(CHANNEL_ARGS) as Channel[];
    const withPaths = channels.filter(namesLocalPath);
    expect(withPaths).toContain('import.scan');
    expect(Object.keys(LOCAL_PATHS_OF).sort()).toEqual(withPaths.sort());
  });

  it('answers forbidden for a path nobody picked, without running the handler', async () => {
    const calls: unknown[] = [];
    const handlers = new Proxy({} as Handlers, {
      get: (_t, channel: string) => async (arg: unknown) => void calls.push({ channel, arg }),
    });
    const result = await dispatch(handlers, 'import.scan', { paths: ['/etc'] }, new PickedPaths());
    expect(result).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(calls).toEqual([]);
  });
});
