import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PreloadBridge } from '../../preload/contract';
import { DROPPED_PATH_CHANNEL } from '../../preload/channels';

type Listener = (event: unknown, payload: unknown) => void;
const exposed = new Map<string, unknown>();
const listeners = new Map<string, Set<Listener>>();
const invoke = vi.fn<(channel: string, arg: unknown) => Promise<unknown>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, arg: unknown) => invoke(channel, arg),
    on: (channel: string, l: Listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel: string, l: Listener) => listeners.get(channel)?.delete(l),
  },
  webUtils: { getPathForFile: (file: { name: string }) => `/dropped/${file.name}` },
}));

await import('../../preload/index');
const api = exposed.get('credmate') as PreloadBridge;

beforeEach(() => invoke.mockReset());

describe('preload', () => {
  it('exposes one object, credmate, with only invoke, on and pathForFile', () => {
    expect([...exposed.keys()]).toEqual(['credmate']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'pathForFile']);
  });

  it("passes main's Result envelope to the page as data, so an error keeps its kind across contextBridge", async () => {
    invoke.mockResolvedValue({ ok: true, value: { total: 0, items: [] } });
    await expect(api.invoke('queue.list', { offset: 0, limit: 10 })).resolves.toEqual({
      ok: true,
      value: { total: 0, items: [] },
    });
    expect(invoke).toHaveBeenCalledWith('queue.list', { offset: 0, limit: 10 });
    invoke.mockResolvedValue({ ok: false, error: { kind: 'network', message: 'Server unreachable.' } });
    await expect(api.invoke('queue.stats', undefined)).resolves.toEqual({
      ok: false,
      error: { kind: 'network', message: 'Server unreachable.' },
    });
  });

  it('refuses channels and events that are not in the contract, without touching IPC', async () => {
    await expect(api.invoke('shell.exec' as never, 'rm -rf /' as never)).resolves.toMatchObject({
      ok: false,
      error: { kind: 'invalid_input' },
    });
    expect(invoke).not.toHaveBeenCalled();
    expect(() => api.on('anything' as never, () => undefined)).toThrow('Unknown event');
  });

  it('delivers event payloads without the IPC event object, and unsubscribes', () => {
    const got: unknown[] = [];
    const off = api.on('documents.changed', (payload) => got.push(payload));
    const [listener] = listeners.get('event:documents.changed') ?? [];
    listener!({ sender: 'ipc internals' }, { ids: ['a'] });
    expect(got).toEqual([{ ids: ['a'] }]);
    off();
    expect(listeners.get('event:documents.changed')?.size).toBe(0);
  });

  it('turns a dropped File into its native path', () => {
    invoke.mockResolvedValue(undefined);
    expect(api.pathForFile({ name: 'license.pdf' } as File)).toBe('/dropped/license.pdf');
  });

  it('tells main of a dropped path, and holds the next call until main has registered it', async () => {
    let acknowledge: () => void = () => undefined;
    invoke.mockImplementation((channel) =>
      channel === DROPPED_PATH_CHANNEL
        ? new Promise((resolve) => (acknowledge = () => resolve(undefined)))
        : Promise.resolve({ ok: true, value: { scanId: 's1' } }),
    );
    expect(api.pathForFile({ name: 'folder' } as File)).toBe('/dropped/folder');
    const scan = api.invoke('import.scan', { paths: ['/dropped/folder'] });
    await nextTurn();
    expect(invoke.mock.calls).toEqual([[DROPPED_PATH_CHANNEL, '/dropped/folder']]);
    acknowledge();
    await expect(scan).resolves.toEqual({ ok: true, value: { scanId: 's1' } });
    expect(invoke.mock.calls.map(([channel]) => channel)).toEqual([DROPPED_PATH_CHANNEL, 'import.scan']);
  });
});
