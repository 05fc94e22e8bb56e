/**
 * main/index.ts wiring, with a thin fake of the Electron APIs it calls (the binary cannot run
 * here): scheme registered before ready, session hardened, IPC bound for every channel, the window
 * loading app://credmate with the preload, and quitting waits for the services to close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../preload/contract';
import { DROPPED_PATH_CHANNEL } from '../../preload/channels';
import { FakeWebContents } from './fake-electron';

const dataDir = mkdtempSync(path.join(tmpdir(), 'credmate-main-'));
process.env.CREDMATE_DATA_DIR = dataDir;

const record = vi.hoisted(() => ({
  order: [] as string[],
  handlers: new Map<string, unknown>(),
  appListeners: new Map<string, Array<(...a: unknown[]) => void>>(),
  windows: [] as Array<{ options: Record<string, unknown>; url: string | null }>,
  quitCalls: 0,
  ready: null as null | (() => void),
}));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => [];
    webContents = { on: () => undefined, setWindowOpenHandler: () => undefined };
    entry: { options: Record<string, unknown>; url: string | null };
    constructor(options: Record<string, unknown>) {
      this.entry = { options, url: null };
      record.windows.push(this.entry);
    }
    once() {}
    on() {}
    async loadURL(url: string) {
      this.entry.url = url;
    }
  }
  const on = (event: string, l: (...a: unknown[]) => void) =>
    record.appListeners.set(event, [...(record.appListeners.get(event) ?? []), l]);
  return {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: () => true,
      on,
      whenReady: () => new Promise<void>((resolve) => (record.ready = resolve)),
      quit: () => (record.quitCalls += 1),
      getVersion: () => '0.1.0',
      setBadgeCount: () => true,
    },
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: Array<{ scheme: string }>) =>
        record.order.push(`register:${schemes[0]?.scheme}`),
      handle: (scheme: string) => record.order.push(`handle:${scheme}`),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => record.order.push('permissions'),
        setPermissionCheckHandler: () => undefined,
        webRequest: { onHeadersReceived: () => record.order.push('csp') },
      },
    },
    ipcMain: {
      handle: (channel: string, h: unknown) => record.handlers.set(channel, h),
      removeHandler: (channel: string) => record.handlers.delete(channel),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => record.order.push('menu') },
    Tray: class {
      setToolTip() {}
      on() {}
      destroy() {}
    },
    nativeImage: { createFromDataURL: () => ({}) },
    Notification: class {
      static isSupported = () => false;
    },
    dialog: {},
    shell: { openExternal: async () => undefined },
    net: {},
    safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text' },
    utilityProcess: { fork: () => ({}) },
    webUtils: {},
  };
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('main process lifecycle', () => {
  it('registers the app scheme before ready, then hardens, binds IPC and opens the app window', async () => {
    await import('../../main/index');
    expect(record.order).toEqual(['register:app']);
    record.ready!();
    await vi.waitFor(() => expect(record.windows).toHaveLength(1));
    expect(record.order).toEqual(expect.arrayContaining(['permissions', 'csp', 'handle:app', 'menu']));
    expect([...record.handlers.keys()].sort()).toEqual([...CHANNELS, DROPPED_PATH_CHANNEL].sort());
    const win = record.windows[0]!;
    expect(win.url).toBe('app://credmate/index.html');
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String((win.options.webPreferences as { preload: string }).preload)).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('guards every web contents the app creates, not only its own window (issue 14, finding 12)', async () => {
    const [created] = record.appListeners.get('web-contents-created') ?? [];
    expect(created).toBeDefined();
    const contents = new FakeWebContents();
    created!({}, contents);
    expect(contents.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-navigate', 'app://credmate/index.html')).toBe(false);
    expect(contents.fire('will-attach-webview')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('answers the renderer through the bound handlers (signed out, nothing persisted)', async () => {
    const handler = record.handlers.get('session.get') as (e: unknown, a: unknown) => Promise<unknown>;
    await expect(
      handler({ senderFrame: { url: 'app://credmate/index.html', parent: null } }, undefined),
    ).resolves.toEqual({ ok: true, value: { signedIn: false, mode: null, serverUrl: null } });
  });

  it('holds the quit until the services are closed, then quits', async () => {
    const beforeQuit = record.appListeners.get('before-quit')![0]!;
    const event = { preventDefault: vi.fn() };
    beforeQuit(event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(record.quitCalls).toBe(1));
    expect(record.handlers.size).toBe(0);
    // The second before-quit (from that quit) goes through.
    const again = { preventDefault: vi.fn() };
    beforeQuit(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});
