/**
 * The Electron main process: lifecycle only. Wires the plain-Node services to IPC, the secure
 * window, the bundled server (utilityProcess, started on launch in local mode, stopped on quit),
 * the tray/badge/notifications and the menu. PDFs are never parsed here.
 */
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../server/config';
import { bindIpc } from './ipc';
import { createServices, type Services } from './services';
import { isAllowedExternalUrl } from './services/external-links';
import { installAppMenu } from './shell/app-menu';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './shell/app-protocol';
import { showDesktopPresence } from './shell/desktop-presence';
import { createSafeStorageVault } from './shell/safe-storage-vault';
import { utilityProcessLauncher } from './shell/utility-server';
import { createMainWindow, guardAllWebContents, hardenSession } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
// electron-vite dev serves the renderer with hot reload and says where in this variable.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererUrl = devServerUrl ?? `${APP_ORIGIN}/index.html`;

registerAppScheme();
guardAllWebContents(app, rendererUrl);

if (!app.requestSingleInstanceLock()) {
  // A second copy would open the same queue database and start a second server: hand over and quit.
  app.quit();
} else {
  let services: Services | null = null;
  let window: BrowserWindow | null = null;
  let cleanups: Array<() => void> = [];

  const openWindow = () => {
    window = createMainWindow({ preloadPath: join(here, '../preload/index.cjs'), rendererUrl });
    window.on('closed', () => (window = null));
  };

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  app.whenReady().then(async () => {
    hardenSession(session.defaultSession, devServerUrl !== undefined);
    if (!devServerUrl) serveRenderer(join(here, '../renderer'));
    installAppMenu(!app.isPackaged);
    services = createServices({
      dataDir: defaultDataDir(),
      vault: createSafeStorageVault(),
      launchLocalServer: utilityProcessLauncher({
        serverHost: join(here, 'server-host.js'),
        workerEntry: join(here, 'worker-entry.js'),
      }),
      async pickFolder() {
        const options = { title: 'Choose a folder of credential PDFs', properties: ['openDirectory' as const] };
        const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async pickPdfFile() {
        const options = {
          title: 'Choose the PDF to use instead',
          properties: ['openFile' as const],
          filters: [{ name: 'PDF documents', extensions: ['pdf', 'PDF'] }],
        };
        const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async openExternal(url) {
        if (isAllowedExternalUrl(url)) await shell.openExternal(url);
      },
    });
    cleanups = [
      bindIpc({
        ipcMain,
        handlers: services.handlers,
        bus: services.bus,
        pickedPaths: services.pickedPaths,
        rendererUrl,
        windows: () => BrowserWindow.getAllWindows(),
      }),
      showDesktopPresence(services.bus, () => window),
    ];
    openWindow();
    // Local mode resumes at launch (starting the bundled server); the window shows progress meanwhile.
    await services.restore();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !services) return;
    // Stop uploads (their parts are recorded) and the bundled server before the process goes.
    event.preventDefault();
    quitting = true;
    for (const cleanup of cleanups) cleanup();
    void services.close().finally(() => app.quit());
  });
}
