/**
 * The renderer's one handle on the contract: Electron's preload when present, else the HTTP
 * transport of `npm run web` (token from the URL it printed, kept for reloads of this tab).
 * Every rejection comes out as a BridgeError with its kind.
 */
import type { PreloadApi, PreloadBridge } from '../../preload/contract';
import { serializedToBridgeError, toBridgeError } from './bridge-error';
import { createWebTransport } from './web-transport';

declare global {
  interface Window {
    credmate?: PreloadBridge;
  }
}

const TOKEN_KEY = 'credmate.webToken';

function webTransportFromLocation(): PreloadApi {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of the address bar, history and screenshots.
    params.delete('token');
    const query = params.toString();
    window.history.replaceState(
      null,
      '',
      `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`,
    );
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  return createWebTransport({ baseUrl: window.location.origin, token });
}

export function withBridgeErrors(raw: PreloadApi): PreloadApi {
  return {
    invoke: (channel, arg) => raw.invoke(channel, arg).catch((err: unknown) => Promise.reject(toBridgeError(err))),
    on: (event, listener) => raw.on(event, listener),
  };
}

/** Electron's preload resolves envelopes; a failed one becomes a BridgeError of its kind. */
export function fromPreload(bridge: PreloadBridge): PreloadApi {
  return withBridgeErrors({
    invoke: (channel, arg) =>
      bridge
        .invoke(channel, arg)
        .then((result) => (result.ok ? result.value : Promise.reject(serializedToBridgeError(result.error)))),
    on: (event, listener) => bridge.on(event, listener),
  });
}

let api: PreloadApi | null = null;

export function getApi(): PreloadApi {
  api ??= window.credmate ? fromPreload(window.credmate) : withBridgeErrors(webTransportFromLocation());
  return api;
}

/** True in Electron, where the preload offers native paths for dropped files. */
export function pathForDroppedFile(file: File): string | null {
  return window.credmate?.pathForFile?.(file) ?? null;
}

/** True in Electron, whose main process opens native file dialogs; `npm run web` types paths instead. */
export function hasNativePickers(): boolean {
  return Boolean(window.credmate);
}
