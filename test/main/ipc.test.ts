import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../common/errors';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS } from '../../preload/contract';
import { DROPPED_PATH_CHANNEL } from '../../preload/channels';
import type { Handlers } from '../../main/services/dispatch';
import { createEventBus } from '../../main/services/event-bus';
import { PickedPaths } from '../../main/services/picked-paths';
import { FakeBrowserWindow } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectronModule());

const { bindIpc, isTrustedSender } = await import('../../main/ipc');

const APP = 'app://credmate/index.html';
type Handler = (event: unknown, arg: unknown) => Promise<Result<unknown>>;

function setup() {
  const registered = new Map<string, Handler>();
  const ipcMain = {
    handle: (channel: string, h: Handler) => registered.set(channel, h),
    removeHandler: (channel: string) => registered.delete(channel),
  };
  const calls: unknown[] = [];
  const handlers = new Proxy({} as Handlers, {
    get: (_t, channel: string) => async (arg: unknown) => {
      calls.push({ channel, arg });
      return channel === 'session.get' ? { signedIn: false, mode: null, serverUrl: null } : undefined;
    },
  });
  const bus = createEventBus();
  const win = new FakeBrowserWindow({});
  void win.loadURL(APP);
  const stranger = new FakeBrowserWindow({});
  void stranger.loadURL('https://evil.example/');
  const pickedPaths = new PickedPaths();
  const unbind = bindIpc({
    ipcMain: ipcMain as never,
    handlers,
    bus,
    pickedPaths,
    rendererUrl: APP,
    windows: () => [win, stranger] as never,
  });
  return { registered, calls, bus, win, stranger, unbind, pickedPaths };
}

const appFrame = { url: 'app://credmate/index.html', parent: null };

describe('IPC binding', () => {
  it('registers exactly the contract channels (and the drop channel of the preload) and removes them on unbind', () => {
    const { registered, unbind } = setup();
    expect([...registered.keys()].sort()).toEqual([...CHANNELS, DROPPED_PATH_CHANNEL].sort());
    unbind();
    expect(registered.size).toBe(0);
  });

  it('answers the app top frame with a Result envelope', async () => {
    const { registered, calls } = setup();
    const result = await registered.get('session.get')!({ senderFrame: appFrame }, undefined);
    expect(result).toEqual({ ok: true, value: { signedIn: false, mode: null, serverUrl: null } });
    expect(calls).toHaveLength(1);
  });

  it('refuses senders from other origins, subframes or gone frames without running the handler', async () => {
    const { registered, calls } = setup();
    const senders = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'app://credmate/index.html', parent: appFrame } },
      { senderFrame: { url: 'javascript:alert(1)', parent: null } },
      { senderFrame: null },
    ];
    for (const sender of senders) {
      const result = await registered.get('queue.cancel')!(sender, {});
      expect(result).toMatchObject({ ok: false, error: { kind: 'auth' } });
    }
    expect(calls).toHaveLength(0);
  });

  it('rejects a malformed argument before the handler runs', async () => {
    const { registered, calls } = setup();
    const result = await registered.get('queue.list')!({ senderFrame: appFrame }, { offset: -1, limit: 10 });
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect((result as { error: { message: string } }).error.message).toContain('offset');
    expect(calls).toHaveLength(0);
  });

  it('forwards service events only to windows showing the app', () => {
    const { bus, win, stranger } = setup();
    bus.emit('documents.changed', { ids: ['d1'] });
    expect(win.webContents.sent).toEqual([{ channel: 'event:documents.changed', payload: { ids: ['d1'] } }]);
    expect(stranger.webContents.sent).toEqual([]);
  });

  it('trusts only a top frame of the app origin', () => {
    expect(isTrustedSender(appFrame as never, APP)).toBe(true);
    expect(isTrustedSender({ url: 'app://credmate.evil/', parent: null } as never, APP)).toBe(false);
    expect(isTrustedSender(undefined, APP)).toBe(false);
  });

  describe('local paths (issue 14, finding 11)', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'credmate-ipc-paths-')));
    const dropped = join(root, 'dropped');
    const sibling = join(root, 'sibling');
    mkdirSync(dropped);
    mkdirSync(sibling);
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('refuses a scan of a folder nobody picked or dropped, before the handler runs', async () => {
      const { registered, calls } = setup();
      const result = await registered.get('import.scan')!({ senderFrame: appFrame }, { paths: ['/etc'] });
      expect(result).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect((result as { error: { message: string } }).error.message).toMatch(/chose with "Choose folder" or dropped/);
      expect(calls).toHaveLength(0);
    });

    it('scans a folder the preload reported as dropped, and still refuses its sibling', async () => {
      const { registered, calls } = setup();
      await registered.get(DROPPED_PATH_CHANNEL)!({ senderFrame: appFrame }, dropped);
      const ok = await registered.get('import.scan')!({ senderFrame: appFrame }, { paths: [dropped] });
      expect(ok).toEqual({ ok: true, value: undefined });
      expect(calls).toEqual([{ channel: 'import.scan', arg: { paths: [dropped] } }]);
      const refused = await registered.get('import.scan')!({ senderFrame: appFrame }, { paths: [dropped, sibling] });
      expect(refused).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(calls).toHaveLength(1);
    });

    it('ignores a drop reported by a frame that is not the app', async () => {
      const { registered, pickedPaths } = setup();
      const stranger = { senderFrame: { url: 'https://evil.example/', parent: null } };
      await registered.get(DROPPED_PATH_CHANNEL)!(stranger, '/etc');
      await expect(pickedPaths.allows('/etc')).resolves.toBe(false);
    });
  });
});
