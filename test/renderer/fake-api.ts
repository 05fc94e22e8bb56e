/**
 * A recording PreloadApi for the store's unit tests: replies come from a per-channel table, and
 * emitted events reach the listeners the store registered. No transport is involved.
 */
import type { Channel, ChannelArg, ChannelReply, EventName, IpcEvents, PreloadApi } from '../../preload/contract';

type Replies = { [K in Channel]?: (arg: ChannelArg<K>) => ChannelReply<K> | Promise<ChannelReply<K>> };

export function createFakeApi(replies: Replies) {
  const calls: Array<{ channel: Channel; arg: unknown }> = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const api: PreloadApi = {
    async invoke(channel, arg) {
      calls.push({ channel, arg });
      const reply = replies[channel] as ((a: unknown) => unknown) | undefined;
      if (!reply) throw new Error(`[internal] no reply for ${channel}`);
      return (await reply(arg)) as never;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  return {
    api,
    calls,
    emit<E extends EventName>(event: E, payload: IpcEvents[E]) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  };
}
