/**
 * The channel and event names as runtime lists, for the preload's and the transports' allow-lists.
 * The sandboxed preload cannot load zod (dependencies stay external and a sandbox has no
 * `require` for them), so the names are written here once more; the checks below tie them to
 * the schema keys of common/ipc.ts both ways, so a channel added to or removed from either
 * fails to compile. Only type imports: this file adds nothing to the preload bundle.
 */
import type { Channel, EventName } from '../common/ipc';

/** `true` only when the list names every key of the map, and (by `satisfies`) nothing else. */
type Names<All extends string, Listed extends readonly string[]> = [Exclude<All, Listed[number]>] extends [never]
  ? true
  : { missing: Exclude<All, Listed[number]> };

export const CHANNELS = [
  'session.get',
  'session.signInLocal',
  'session.signIn',
  'session.signOut',
  'import.pickFolder',
  'import.scan',
  'import.cancelScan',
  'import.readFile',
  'import.queue',
  'queue.list',
  'queue.stats',
  'queue.pause',
  'queue.resume',
  'queue.cancel',
  'queue.retry',
  'batches.listLocal',
  'queue.batchFigures',
  'documents.list',
  'documents.get',
  'documents.content',
  'documents.review',
  'documents.reprocess',
  'documents.remove',
  'documents.reopen',
  'documents.replace',
  'documents.pickReplacement',
  'server.limits',
  'batches.stats',
  'batches.exportCsv',
  'providers.list',
  'providers.get',
  'providers.compliance',
  'providers.expirations',
  'providers.expiryNotices',
  'providers.toConfirm',
  'providers.confirmMatch',
  'providers.exportExpirations',
  'providers.merge',
  'providers.split',
  'providers.setCmeTopics',
  'app.openExternal',
  'watch.add',
  'watch.remove',
  'watch.list',
] as const satisfies readonly Channel[];

export const EVENTS = [
  'scan.progress',
  'scan.files',
  'queue.stats',
  'queue.items',
  'documents.changed',
  'batch.finished',
  'session.changed',
  'watch.queued',
] as const satisfies readonly EventName[];

type Assert<T extends true> = T;
/** Compile-time checks (a missing name shows as `{ missing: ... }` in the error). */
export type EveryChannelListed = Assert<Names<Channel, typeof CHANNELS>>;
export type EveryEventListed = Assert<Names<EventName, typeof EVENTS>>;

/**
 * Preload → main only, never a contract channel (the page's `invoke` refuses it): the native path
 * of a file or folder the user dropped, which main then lets the page scan (main/services/picked-paths.ts).
 */
export const DROPPED_PATH_CHANNEL = 'picked-paths.dropped';
