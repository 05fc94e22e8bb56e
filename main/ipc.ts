/**
 * Binds the IPC contract to the services: one `ipcMain.handle` per contract channel, each
 * checking that the sender is the app's own top frame before dispatching, and forwards the
 * services' events to the app's windows on `event:<name>`.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import type { Result } from '../common/errors';
import { CHANNELS } from '../preload/contract';
import { DROPPED_PATH_CHANNEL } from '../preload/channels';
import { dispatch, type Handlers } from './services/dispatch';
import type { EventBus } from './services/event-bus';
import type { PickedPaths } from './services/picked-paths';
import { isAppUrl } from './window';

/** A sender is trusted only as the top frame of a page of the app's own origin. */
export function isTrustedSender(
  frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined,
  rendererUrl: string,
): boolean {
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url, rendererUrl);
}

export interface IpcBindingOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  handlers: Handlers;
  bus: EventBus;
  /** What the user picked or dropped: drops are registered here, path-taking channels checked against it. */
  pickedPaths: Pick<PickedPaths, 'add' | 'assertReadable'>;
  rendererUrl: string;
  windows: () => BrowserWindow[];
}

/** Returns a function that removes every handler and the event forwarding. */
export function bindIpc(opts: IpcBindingOptions): () => void {
  for (const channel of CHANNELS) {
    opts.ipcMain.handle(channel, async (event: IpcMainInvokeEvent, arg: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event.senderFrame, opts.rendererUrl)) {
        return { ok: false, error: { kind: 'auth', message: 'This page may not call the app.' } };
      }
      return dispatch(opts.handlers, channel, arg, opts.pickedPaths);
    });
  }
  // Only the preload sends this (the page's invoke refuses names outside the contract), with the
  // native path Electron gave it for a dropped file.
  opts.ipcMain.handle(DROPPED_PATH_CHANNEL, async (event: IpcMainInvokeEvent, path: unknown): Promise<void> => {
    if (!isTrustedSender(event.senderFrame, opts.rendererUrl)) return;
    if (typeof path === 'string' && path.length > 0 && path.length <= 4096) await opts.pickedPaths.add(path);
  });
  const unsubscribe = opts.bus.subscribe((event, payload) => {
    for (const win of opts.windows()) {
      if (!win.isDestroyed() && isAppUrl(win.webContents.getURL(), opts.rendererUrl))
        win.webContents.send(`event:${event}`, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const channel of CHANNELS) opts.ipcMain.removeHandler(channel);
    opts.ipcMain.removeHandler(DROPPED_PATH_CHANNEL);
  };
}
