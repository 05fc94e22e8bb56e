/**
 * The preload: exposes `window.credmate` (PreloadApi) and nothing else. Only channel and event
 * names from contract.ts pass; the IpcRendererEvent (which carries `sender`) never reaches the
 * page. Runs sandboxed, so it imports only `electron` and the contract's constants.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { Result } from '../common/errors';
import type { ChannelReply, PreloadBridge } from './contract';
import { CHANNELS, DROPPED_PATH_CHANNEL, EVENTS } from './channels';

const channels: ReadonlySet<string> = new Set(CHANNELS);
const events: ReadonlySet<string> = new Set(EVENTS);

/** Main sends every contract event on `event:<name>`. */
export const EVENT_PREFIX = 'event:';

export function createPreloadApi(
  ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>,
  utils: Pick<typeof webUtils, 'getPathForFile'>,
): PreloadBridge {
  // Drops told to main and not yet acknowledged: a call waits for them, so the scan a page starts
  // right after a drop finds the dropped paths registered.
  let dropsRegistered: Promise<unknown> = Promise.resolve();
  return {
    async invoke(channel, arg) {
      if (!channels.has(channel))
        return { ok: false, error: { kind: 'invalid_input', message: `Unknown channel "${String(channel)}".` } };
      await dropsRegistered;
      // The envelope goes to the page as it is: an error's kind survives contextBridge only as data.
      return (await ipc.invoke(channel, arg)) as Result<ChannelReply<typeof channel>>;
    },
    on(event, listener) {
      if (!events.has(event)) throw new Error(`[invalid_input] Unknown event "${String(event)}".`);
      const ipcChannel = `${EVENT_PREFIX}${event}`;
      const forward = (_e: unknown, payload: unknown) => listener(payload as Parameters<typeof listener>[0]);
      ipc.on(ipcChannel, forward);
      return () => {
        ipc.removeListener(ipcChannel, forward);
      };
    },
    pathForFile(file) {
      // Only a file the user dropped (or chose in a file input) has a native path; a File the page
      // made up has none. Main reads only what was picked or dropped, so it learns of this one here.
      const path = utils.getPathForFile(file);
      if (path) {
        const registered = ipc.invoke(DROPPED_PATH_CHANNEL, path).catch(() => undefined);
        dropsRegistered = Promise.all([dropsRegistered, registered]);
      }
      return path;
    },
  };
}

contextBridge.exposeInMainWorld('credmate', createPreloadApi(ipcRenderer, webUtils));
