/**
 * The IPC contract as the renderer and the preload see it. The contract itself is the zod schemas
 * of common/ipc.ts (every type here is derived from them) and the domain values of
 * common/domain.ts; this file re-exports them so the renderer keeps one place to import from, and
 * adds what only the page sees: the preload API. Every handler takes exactly one argument
 * (`undefined` for none) and returns a promise; across the boundary replies travel in a `Result`
 * envelope (common/errors.ts).
 */
import type { Result } from '../common/errors';
import type { Channel, ChannelArg, ChannelReply, EventName, IpcEvents } from '../common/ipc';

export type {
  Channel,
  ChannelArg,
  ChannelReply,
  EventName,
  Handlers,
  IpcContract,
  IpcEvents,
  ParsedChannelArg,
} from '../common/ipc';
export {
  QUEUE_STATES,
  type BatchQueueFigures,
  type DocumentListItem,
  type DocumentQuery,
  type LocalBatch,
  type QueueItem,
  type QueueSelector,
  type QueueState,
  type QueueStats,
  type ScanOptions,
  type ScanProgress,
  type ScannedFile,
  type SessionState,
} from '../common/domain';
export { CHANNELS, EVENTS } from './channels';

/** What the preload exposes on `window.credmate`, and nothing else. */
/**
 * What the preload exposes as `window.credmate`. contextBridge copies only an Error's message
 * into the page, so `invoke` never rejects: it resolves the `{ ok, value } | { ok: false, error }`
 * envelope main sent, a plain object that crosses intact with its error kind.
 */
export interface PreloadBridge {
  invoke<K extends Channel>(channel: K, arg: ChannelArg<K>): Promise<Result<ChannelReply<K>>>;
  on<E extends EventName>(event: E, listener: (payload: IpcEvents[E]) => void): () => void;
  /** The native path of a dropped file (webUtils.getPathForFile). */
  pathForFile(file: File): string;
}

export interface PreloadApi {
  invoke<K extends Channel>(channel: K, arg: ChannelArg<K>): Promise<ChannelReply<K>>;
  on<E extends EventName>(event: E, listener: (payload: IpcEvents[E]) => void): () => void;
  /** Electron only: the native path of a dropped file (webUtils.getPathForFile); absent on the web. */
  pathForFile?(file: File): string;
}
