import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, FakeWebContents, shell } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectronModule());

const { createMainWindow, guardNavigation, hardenSession, isAppUrl, SECURE_WEB_PREFERENCES } =
  await import('../../main/window');

const APP = 'app://credmate/index.html';

beforeEach(() => {
  FakeBrowserWindow.created = [];
  shell.openExternal.mockClear();
});

describe('window factory', () => {
  it('creates the window isolated, sandboxed, without Node, with the preload, and loads the app', () => {
    createMainWindow({ preloadPath: '/app/out/preload/index.cjs', rendererUrl: APP });
    const win = FakeBrowserWindow.created[0]!;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(SECURE_WEB_PREFERENCES.sandbox).toBe(true);
    expect(win.loadedUrl).toBe(APP);
  });

  it('blocks navigation away from the app but allows its own pages', () => {
    const contents = new FakeWebContents();
    guardNavigation(contents as never, APP);
    expect(contents.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.fire('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(contents.fire('will-navigate', 'app://credmate/index.html#review')).toBe(false);
    expect(contents.fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window; only allow-listed https links go to the system browser', () => {
    const contents = new FakeWebContents();
    guardNavigation(contents as never, APP);
    const open = contents.windowOpenHandler!;
    expect(open({ url: 'https://help.credentialmate.com/import' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://help.credentialmate.com/import');
    shell.openExternal.mockClear();
    for (const url of [
      'http://help.credentialmate.com/',
      'https://help.credentialmate.com.evil.example/',
      'https://user:pw@credentialmate.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('grants notifications and denies every other permission request and check; sets a CSP without unsafe-eval', () => {
    let requestHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
    let checkHandler: ((wc: unknown, permission: string) => boolean) | null = null;
    let headersHandler:
      | ((
          details: { responseHeaders?: Record<string, string[]> },
          cb: (r: { responseHeaders?: Record<string, string[]> }) => void,
        ) => void)
      | null = null;
    const session = {
      setPermissionRequestHandler: (h: typeof requestHandler) => (requestHandler = h),
      setPermissionCheckHandler: (h: typeof checkHandler) => (checkHandler = h),
      webRequest: { onHeadersReceived: (h: typeof headersHandler) => (headersHandler = h) },
    };
    hardenSession(session as never, false);
    const requested = (permission: string) => {
      const granted = vi.fn();
      requestHandler!(null, permission, granted);
      expect(granted).toHaveBeenCalledTimes(1);
      return granted.mock.calls[0]![0] as boolean;
    };
    expect(requested('notifications')).toBe(true);
    expect(checkHandler!(null, 'notifications')).toBe(true);
    for (const permission of [
      'media',
      'camera',
      'microphone',
      'geolocation',
      'clipboard-read',
      'clipboard-sanitized-write',
      'openExternal',
      'fullscreen',
      'midiSysex',
      'unknown',
    ]) {
      expect(requested(permission)).toBe(false);
      expect(checkHandler!(null, permission)).toBe(false);
    }
    let headers: Record<string, string[]> | undefined;
    headersHandler!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    const csp = headers?.['Content-Security-Policy']?.[0] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect(headers?.['Content-Type']).toEqual(['text/html']);
  });

  it('compares origins, not prefixes', () => {
    expect(isAppUrl('app://credmate/x', APP)).toBe(true);
    expect(isAppUrl('app://credmate.evil/x', APP)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url', APP)).toBe(false);
    // Node gives non-special schemes the origin "null": these must not pass as the app.
    expect(isAppUrl('javascript:alert(1)', APP)).toBe(false);
    expect(isAppUrl('data:text/html,hi', APP)).toBe(false);
    expect(isAppUrl('other://credmate/x', APP)).toBe(false);
  });
});
