/**
 * The one BrowserWindow factory. Secure defaults (Electron's security checklist): isolated,
 * sandboxed, no Node in the page, strict CSP, no navigation, no new windows (allow-listed https
 * links go to the system browser), every permission denied but notifications.
 */
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';
import { isAllowedExternalUrl } from './services/external-links';

export interface MainWindowOptions {
  preloadPath: string;
  /** Where the renderer is served: `app://credmate/index.html`, or the dev server's URL. */
  rendererUrl: string;
}

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

/**
 * True when `url` is the app's own page (same scheme, host and port as the renderer), so it may
 * stay in the window. Not `URL.origin`: Node gives every non-special scheme (app:, javascript:,
 * data:) the origin "null", which would make them all equal.
 */
export function isAppUrl(url: string, rendererUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(rendererUrl);
    return a.host !== '' && a.protocol === b.protocol && a.host === b.host;
  } catch {
    return false;
  }
}

/** Session-wide rules: applied once per session, before any page loads. */
export function hardenSession(session: Session, devServer: boolean): void {
  // Notifications only (the daily expiry notice); camera, microphone, location, clipboard and the rest stay refused.
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications'));
  session.setPermissionCheckHandler((_wc, permission) => permission === 'notifications');
  session.webRequest.onHeadersReceived((details, callback) => {
    // The dev server's hot reload needs its websocket and inline preamble; packaged builds get the strict policy.
    if (devServer) return callback({ responseHeaders: details.responseHeaders });
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

export function guardNavigation(contents: WebContents, rendererUrl: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * App-wide: every web contents ever created (a second window, a webview a bug lets through, a
 * page some later code opens) gets the same navigation and window-opening rules, not only the
 * window createMainWindow makes. Registered before ready, so none is created unguarded.
 */
export function guardAllWebContents(
  app: { on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): unknown },
  rendererUrl: string,
): void {
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, rendererUrl));
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'CredentialMate Uploader',
    backgroundColor: '#f7f8fa',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: opts.preloadPath },
  });
  guardNavigation(win.webContents, opts.rendererUrl);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.rendererUrl);
  return win;
}
