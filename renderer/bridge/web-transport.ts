/**
 * The browser side of `npm run web`: implements PreloadApi over HTTP (see main/web/rpc-app.ts
 * for the wire format), so the renderer cannot tell it from Electron's preload.
 */
import type { Result } from '../../common/errors';
import { EVENTS, type ChannelReply, type EventName, type IpcEvents, type PreloadApi } from '../../preload/contract';
import { BridgeError, serializedToBridgeError } from './bridge-error';
import { openSseStream } from './sse-stream';

export interface WebTransportOptions {
  baseUrl: string;
  token: string;
  fetchImpl?: typeof fetch;
  /** Per-call deadline; a dead transport must not leave the UI waiting forever. */
  timeoutMs?: number;
}

type AnyListener = (payload: unknown) => void;

export function createWebTransport(opts: WebTransportOptions): PreloadApi & { close(): void } {
  const fetchImpl = opts.fetchImpl ?? ((input, init) => fetch(input, init));
  const headers = { Authorization: `Bearer ${opts.token}` };
  const listeners = new Map<EventName, Set<AnyListener>>();
  const knownEvents: ReadonlySet<string> = new Set(EVENTS);
  let stopStream: (() => void) | null = null;

  const ensureStream = () => {
    if (stopStream) return;
    stopStream = openSseStream({
      url: `${opts.baseUrl}/events`,
      headers,
      fetchImpl,
      onMessage: ({ event, data }) => {
        if (!knownEvents.has(event)) return;
        const payload: unknown = JSON.parse(data);
        for (const listener of listeners.get(event as EventName) ?? []) listener(payload);
      },
    });
  };

  return {
    async invoke(channel, arg) {
      let response: Response;
      try {
        response = await fetchImpl(`${opts.baseUrl}/rpc/${channel}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify({ arg: arg ?? null }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000),
        });
      } catch (err) {
        throw new BridgeError(
          'network',
          `The app's local service did not answer (${err instanceof Error ? err.message : String(err)}). Is \`npm run web\` still running?`,
        );
      }
      if (response.headers.get('content-type')?.startsWith('application/octet-stream')) {
        return new Uint8Array(await response.arrayBuffer()) as ChannelReply<typeof channel>;
      }
      const result = (await response.json()) as Result<unknown>;
      if (!result.ok) throw serializedToBridgeError(result.error);
      return (result.value ?? undefined) as ChannelReply<typeof channel>;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set<AnyListener>();
      listeners.set(event, set);
      const wrapped = listener as (payload: IpcEvents[typeof event]) => void as AnyListener;
      set.add(wrapped);
      ensureStream();
      return () => set.delete(wrapped);
    },
    close() {
      stopStream?.();
      stopStream = null;
    },
  };
}
