/**
 * The typed event stream from the services to whichever transport carries it (Electron's
 * webContents.send, or the web transport's SSE). Listeners that throw never stop the others.
 */
import type { EventName, IpcEvents } from '../../preload/contract';
import { errorMessageForLog } from '../../common/log-redaction';

export type EventListener = <E extends EventName>(event: E, payload: IpcEvents[E]) => void;

export interface EventBus {
  emit<E extends EventName>(event: E, payload: IpcEvents[E]): void;
  /** Receives every event; returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const listener of listeners) {
        try {
          listener(event, payload);
        } catch (err) {
          console.error(
            JSON.stringify({ level: 'error', msg: 'event listener failed', event, error: errorMessageForLog(err) }),
          );
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
