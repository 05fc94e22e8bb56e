/**
 * The preload: exposes `window.credmate` (PreloadApi) and nothing else. Only channel and event
 * names from contract.ts pass; the IpcRendererEvent (which carries `sender`) never reaches the
 * page. Runs sandboxed, so it imports only `electron` and the contract's constants.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { Result } from '../common/errors';
import type { ChannelReply, PreloadApi } from './contract';
import { CHANNELS, EVENTS } from './channels';

const channels: ReadonlySet<string> = new Set(CHANNELS);
const events: ReadonlySet<string> = new Set(EVENTS);

/** Main sends every contract event on `event:<name>`. */
export const EVENT_PREFIX = 'event:';

export function createPreloadApi(
  ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>,
  utils: Pick<typeof webUtils, 'getPathForFile'>,
): PreloadApi {
  return {
    async invoke(channel, arg) {
      if (!channels.has(channel)) throw new Error(`[invalid_input] Unknown channel "${String(channel)}".`);
      const result = (await ipc.invoke(channel, arg)) as Result<ChannelReply<typeof channel>>;
      // contextBridge keeps only an Error's message, so the kind rides in it (see renderer/bridge).
      if (!result.ok) throw new Error(`[${result.error.kind}] ${result.error.message}`);
      return result.value;
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
      return utils.getPathForFile(file);
    },
  };
}

contextBridge.exposeInMainWorld('credmate', createPreloadApi(ipcRenderer, webUtils));
