/**
 * THE IPC contract between the renderer and the main process (and, over HTTP, `npm run web`), as
 * zod schemas: one map of channel → argument schema, one of channel → reply schema, one of
 * event → payload schema. Every type of the contract is derived from them, and the channel and
 * event names are their keys, so a channel cannot gain an argument type without a schema (or lose
 * one) and still compile. Arguments are parsed in main (main/services/channel-args.ts): the page is
 * untrusted input. Replies and events come from main itself; their schemas give their types.
 */
import { z } from 'zod';
import { BatchStats, DocumentDetail, ReviewRequest } from './api';
import {
  DocumentListItem,
  DocumentQuery,
  Id,
  BatchQueueFigures,
  LocalBatch,
  LocalPath,
  QUEUE_STATES,
  QueueItem,
  QueueSelector,
  QueueStats,
  ScanOptions,
  ScanProgress,
  ScannedFile,
  SessionState,
} from './domain';
import {
  CME_TOPICS,
  ComplianceAnswer,
  ExpirationItem,
  FlaggedMatch,
  ProviderListItem,
  ProviderPage,
} from './providers-api';

/** A channel without an argument: `undefined` (or `null` / `{}`, which some transports send). */
const none = z
  .undefined()
  .or(z.null())
  .or(z.object({}).strict())
  // `void`, not `undefined`: a handler of a channel without an argument may be called with none.
  .transform((): void => undefined);

export const CHANNEL_ARGS = {
  'session.get': none,
  'session.signInLocal': none,
  'session.signIn': z
    .object({
      serverUrl: z.string().url().max(2000),
      email: z.string().min(3).max(320),
      password: z.string().min(1).max(1024),
    })
    .strict(),
  'session.signOut': none,

  /** Native folder picker; null when the user cancelled (the web transport has none: null). */
  'import.pickFolder': none,
  /** Starts a scan of picked or dropped paths; progress and files arrive as `scan.progress` / `scan.files`. */
  'import.scan': ScanOptions,
  'import.cancelScan': z.object({ scanId: Id }).strict(),
  /** Bytes of a file found by a scan (for the local preview); only files a scan returned. */
  'import.readFile': z.object({ scanId: Id, fileId: Id }).strict(),
  /** Queues the scan's PDFs (minus exclusions and local duplicates) as one batch; works offline. */
  'import.queue': z
    .object({
      scanId: Id,
      excludeFileIds: z.array(Id).max(100_000).optional(),
      batchName: z.string().min(1).max(200).optional(),
      provider: z.string().max(200).optional(),
      startNow: z.boolean(),
    })
    .strict(),

  'queue.list': z
    .object({
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(1000),
      state: z.enum(QUEUE_STATES).optional(),
      batchId: Id.optional(),
    })
    .strict(),
  'queue.stats': none,
  'queue.pause': QueueSelector,
  'queue.resume': QueueSelector,
  'queue.cancel': QueueSelector,
  'queue.retry': QueueSelector,
  'batches.listLocal': none,
  /** Per batch, newest first: the Queue screen's figures for each batch (batches with files only). */
  'queue.batchFigures': none,

  /** From the local mirror, so it works offline. */
  'documents.list': DocumentQuery,
  'documents.get': z.object({ id: Id }).strict(),
  'documents.content': z.object({ id: Id }).strict(),
  'documents.review': ReviewRequest.extend({ id: Id }).strict(),
  /** Extraction again (a failed document); admins and reviewers. */
  'documents.reprocess': z.object({ id: Id }).strict(),
  /** Deleted on the server, audited; admins only. */
  'documents.remove': z.object({ id: Id }).strict(),
  /** An approved or rejected document back to review (undo the decision). */
  'documents.reopen': z.object({ id: Id }).strict(),
  /** Another file (a local PDF) for a failed document; it is extracted again. */
  'documents.replace': z.object({ id: Id, path: LocalPath }).strict(),
  /** Native picker of one PDF to replace a failed document's file (registered as picked); null when cancelled or none. */
  'documents.pickReplacement': none,
  /** What the server refuses, for the import preview's preflight. */
  'server.limits': none,

  'batches.stats': z.object({ batchId: Id }).strict(),
  /** CSV of the extracted (corrected) fields of a batch's documents. */
  'batches.exportCsv': z.object({ batchId: Id }).strict(),

  /** Providers of the organisation, from the server (server/routes/provider-routes.ts). */
  'providers.list': none,
  'providers.get': z.object({ id: Id }).strict(),
  'providers.compliance': z
    .object({
      id: Id,
      state: z
        .string()
        .regex(/^[A-Za-z]{2}$/)
        .optional(),
    })
    .strict(),
  'providers.expirations': none,
  /** Credentials that entered an expiry window since this user was last told (asked once a day). */
  'providers.expiryNotices': none,
  /** Matches that wait for a coordinator, and the coordinator's decision on one. */
  'providers.toConfirm': none,
  'providers.confirmMatch': z.object({ documentId: Id, providerId: Id.nullable() }).strict(),
  /** The expirations as a file to save: CSV or iCalendar (one event per expiration). */
  'providers.exportExpirations': z.object({ format: z.enum(['csv', 'ics']) }).strict(),
  /** A coordinator's merge (provider `from` into `id`) and split (documents of `id` to a new provider `name`). */
  'providers.merge': z.object({ id: Id, from: Id }).strict(),
  'providers.split': z
    .object({ id: Id, documentIds: z.array(Id).min(1).max(1000), name: z.string().trim().min(3).max(200) })
    .strict(),
  /** A coordinator sets the topics of one of the provider's CME activities by hand (empty: it counts for no topic; null: read from the title again). */
  'providers.setCmeTopics': z
    .object({
      id: Id,
      activityKey: z.string().min(1).max(500),
      topics: z.array(z.enum(CME_TOPICS)).max(CME_TOPICS.length).nullable(),
    })
    .strict(),

  /** Opens an allow-listed https URL in the system browser. */
  'app.openExternal': z.object({ url: z.string().max(2000) }).strict(),

  /** Watches a picked folder: new or changed PDFs there are queued once they stop growing (kept across restarts). */
  'watch.add': z.object({ path: LocalPath }).strict(),
  /** Stops watching a folder (nothing is read: any path the list holds). */
  'watch.remove': z.object({ path: z.string().min(1).max(4096) }).strict(),
  'watch.list': none,
};

export type Channel = keyof typeof CHANNEL_ARGS;

/** What one watched folder queued by itself (a `watch.queued` event, and the recent list per folder). */
export const WatchQueued = z.object({
  folder: z.string(),
  at: z.string(),
  batchId: z.string().nullable(),
  files: z.array(z.object({ relPath: z.string(), fileId: z.string(), sizeBytes: z.number() })),
  /** Settled PDFs whose content the queue already held. */
  alreadyQueued: z.number(),
  skipped: z.array(z.object({ relPath: z.string(), reason: z.string() })),
});
export type WatchQueued = z.infer<typeof WatchQueued>;

export const WatchedFolder = z.object({
  path: z.string(),
  addedAt: z.string(),
  /** File events arrive (false: only the periodic rescan, or the folder is gone). */
  eventsActive: z.boolean(),
  /** The latest files this watch queued, newest first (kept across restarts, at most 50). */
  recent: z.array(z.object({ relPath: z.string(), fileId: z.string(), at: z.string() })),
  /** The latest settled files it left out and why, newest first (kept across restarts, at most 50). */
  skipped: z.array(z.object({ relPath: z.string(), reason: z.string(), at: z.string() })),
});
export type WatchedFolder = z.infer<typeof WatchedFolder>;

const nothing = z.void();
// Any Uint8Array (a Buffer is one); z.instanceof would narrow the type to ArrayBuffer-backed views.
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array);

/** What each channel answers; `satisfies` makes its keys exactly the argument map's. */
export const CHANNEL_REPLIES = {
  'session.get': SessionState,
  'session.signInLocal': SessionState,
  'session.signIn': SessionState,
  'session.signOut': SessionState,
  'import.pickFolder': z.string().nullable(),
  'import.scan': z.object({ scanId: z.string() }),
  'import.cancelScan': nothing,
  'import.readFile': bytes,
  'import.queue': LocalBatch,
  'queue.list': z.object({ total: z.number(), items: z.array(QueueItem) }),
  'queue.stats': QueueStats,
  'queue.pause': nothing,
  'queue.resume': nothing,
  'queue.cancel': nothing,
  'queue.retry': nothing,
  'batches.listLocal': z.array(LocalBatch),
  'queue.batchFigures': z.array(BatchQueueFigures),
  'documents.list': z.object({ total: z.number(), items: z.array(DocumentListItem) }),
  'documents.get': DocumentDetail,
  'documents.content': bytes,
  'documents.review': DocumentDetail,
  'documents.reprocess': DocumentDetail,
  'documents.remove': nothing,
  'documents.reopen': DocumentDetail,
  'documents.replace': DocumentDetail,
  'documents.pickReplacement': z.string().nullable(),
  'server.limits': z.object({ maxBytes: z.number().nullable(), maxPages: z.number().nullable() }),
  'batches.stats': BatchStats,
  'batches.exportCsv': z.string(),
  'providers.list': z.array(ProviderListItem),
  'providers.get': ProviderPage,
  'providers.compliance': ComplianceAnswer,
  'providers.expirations': z.array(ExpirationItem),
  'providers.expiryNotices': z.array(ExpirationItem),
  'providers.toConfirm': z.array(FlaggedMatch),
  'providers.confirmMatch': nothing,
  'providers.exportExpirations': z.string(),
  'providers.merge': nothing,
  'providers.split': z.object({ id: Id }),
  'providers.setCmeTopics': nothing,
  'app.openExternal': nothing,
  'watch.add': z.array(WatchedFolder),
  'watch.remove': z.array(WatchedFolder),
  'watch.list': z.array(WatchedFolder),
} satisfies Record<Channel, z.ZodType>;

/** Events pushed from main to the renderer, and their payloads. */
export const EVENT_PAYLOADS = {
  'scan.progress': ScanProgress,
  'scan.files': z.object({ scanId: z.string(), files: z.array(ScannedFile) }),
  'queue.stats': QueueStats,
  /** Items whose state or progress changed (throttled). */
  'queue.items': z.object({ items: z.array(QueueItem) }),
  'documents.changed': z.object({ ids: z.array(z.string()) }),
  'batch.finished': z.object({ batchId: z.string(), uploaded: z.number(), duplicates: z.number(), failed: z.number() }),
  'session.changed': SessionState,
  /** A watched folder queued files by itself (or left settled files out: `skipped`, `files` empty). */
  'watch.queued': WatchQueued,
};

export type EventName = keyof typeof EVENT_PAYLOADS;

/** What a caller may send on a channel (before parsing: `none` accepts `undefined`, `null` or `{}`). */
export type ChannelArg<K extends Channel> = z.input<(typeof CHANNEL_ARGS)[K]>;
/** What a handler receives on a channel (after parsing). */
export type ParsedChannelArg<K extends Channel> = z.output<(typeof CHANNEL_ARGS)[K]>;
export type ChannelReply<K extends Channel> = z.output<(typeof CHANNEL_REPLIES)[K]>;
export type IpcEvents = { [E in EventName]: z.output<(typeof EVENT_PAYLOADS)[E]> };

/** The caller's view of the contract: channel → (arg) => Promise<reply>. */
export type IpcContract = { [K in Channel]: (arg: ChannelArg<K>) => Promise<ChannelReply<K>> };
/** The handlers main binds: each receives its channel's parsed argument. */
export type Handlers = { [K in Channel]: (arg: ParsedChannelArg<K>) => Promise<ChannelReply<K>> };
