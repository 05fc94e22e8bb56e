import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PreloadApi } from '../../preload/contract';

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
const api = exposed.get('credmate') as PreloadApi;

beforeEach(() => invoke.mockReset());

describe('preload', () => {
  it('exposes one object, credmate, with only invoke, on and pathForFile', () => {
    expect([...exposed.keys()]).toEqual(['credmate']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'pathForFile']);
  });

  it('unwraps a successful Result', async () => {
    invoke.mockResolvedValue({ ok: true, value: { total: 0, items: [] } });
    await expect(api.invoke('queue.list', { offset: 0, limit: 10 })).resolves.toEqual({ total: 0, items: [] });
    expect(invoke).toHaveBeenCalledWith('queue.list', { offset: 0, limit: 10 });
  });

  it('rejects a failed Result with the kind in the message (contextBridge keeps only messages)', async () => {
    invoke.mockResolvedValue({ ok: false, error: { kind: 'network', message: 'Server unreachable.' } });
    await expect(api.invoke('queue.stats', undefined)).rejects.toThrow('[network] Server unreachable.');
  });

  it('refuses channels and events that are not in the contract, without touching IPC', async () => {
    await expect(api.invoke('shell.exec' as never, 'rm -rf /' as never)).rejects.toThrow('[invalid_input]');
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
    expect(api.pathForFile!({ name: 'license.pdf' } as File)).toBe('/dropped/license.pdf');
  });
});
