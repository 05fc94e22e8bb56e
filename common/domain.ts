/**
 * The client's domain values, as zod schemas with their types derived by `z.infer`: what a scan
 * finds, what the local queue holds, what the documents list asks and shows, and the session.
 * main/core works on these; the IPC contract (common/ipc.ts) carries them to the renderer. One
 * definition, so the core, the contract and the renderer cannot drift apart.
 */
import { z } from 'zod';
import { DOCUMENT_STATUSES, DocumentSummary, SessionUser } from './api';
import { DOC_TYPES } from './extraction';
import { ERROR_KINDS } from './errors';

/** An id the renderer sends back (scan, file, batch, document): bounded, never empty. */
export const Id = z.string().min(1).max(200);

export const SessionState = z.discriminatedUnion('signedIn', [
  z.object({
    signedIn: z.literal(false),
    mode: z.null(),
    serverUrl: z.string().nullable(),
    message: z.string().optional(),
  }),
  z.object({ signedIn: z.literal(true), mode: z.enum(['local', 'remote']), serverUrl: z.string(), user: SessionUser }),
]);
export type SessionState = z.infer<typeof SessionState>;

/**
 * Marks a path on this machine in an argument schema. main/services/dispatch.ts checks every such
 * path against what the user picked or dropped before the channel runs; a test there finds each
 * channel whose schema holds one, so a new path-taking channel cannot miss the check.
 */
export const LOCAL_PATH = 'local-path';
export const LocalPath = z.string().min(1).max(4096).describe(LOCAL_PATH);

/** What to scan: folders and/or files (a drop may mix them), with optional glob filters. */
export const ScanOptions = z
  .object({
    paths: z.array(LocalPath).min(1).max(10_000),
    include: z.array(z.string().max(500)).max(100).optional(),
    exclude: z.array(z.string().max(500)).max(100).optional(),
  })
  .strict();
export type ScanOptions = z.infer<typeof ScanOptions>;

export const ScannedFile = z.object({
  /** Stable within a scan; used to ask for the file's bytes (thumbnails) or to exclude it. */
  id: z.string(),
  path: z.string(),
  relPath: z.string(),
  sizeBytes: z.number(),
  kind: z.enum(['pdf', 'skipped']),
  /** Why a file was skipped: not a PDF, unreadable, empty, hidden... */
  skipReason: z.string().nullable(),
  sha256: z.string().nullable(),
  pages: z.number().nullable(),
  /** Another file of this scan with the same content. */
  duplicateOf: z.string().nullable(),
  /** Already in the local queue (imported before). */
  alreadyQueued: z.boolean(),
  typeGuess: z.enum(DOC_TYPES).nullable(),
});
export type ScannedFile = z.infer<typeof ScannedFile>;

export const ScanProgress = z.object({
  scanId: z.string(),
  entriesSeen: z.number(),
  pdfs: z.number(),
  skipped: z.number(),
  duplicates: z.number(),
  bytes: z.number(),
  hashedBytes: z.number(),
  done: z.boolean(),
  cancelled: z.boolean(),
});
export type ScanProgress = z.infer<typeof ScanProgress>;

export const QUEUE_STATES = [
  'queued',
  'paused',
  'uploading',
  'completing',
  'uploaded',
  'duplicate',
  'failed',
  'cancelled',
] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

const SerializedErrorSchema = z.object({ kind: z.enum(ERROR_KINDS), message: z.string() });

export const QueueItem = z.object({
  id: z.string(),
  batchId: z.string(),
  path: z.string(),
  relPath: z.string(),
  fileName: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  state: z.enum(QUEUE_STATES),
  bytesSent: z.number(),
  error: SerializedErrorSchema.nullable(),
  documentId: z.string().nullable(),
  documentStatus: z.enum(DOCUMENT_STATUSES).nullable(),
  updatedAt: z.string(),
});
export type QueueItem = z.infer<typeof QueueItem>;

const StateCounts = z.record(z.enum(QUEUE_STATES), z.number());

export const QueueStats = z.object({
  total: z.number(),
  byState: StateCounts,
  /** Of the uploaded and duplicate files, those whose document failed extraction on the server. */
  extractionFailed: z.number(),
  bytesTotal: z.number(),
  bytesDone: z.number(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  /** The server and store answered the last probe. */
  online: z.boolean(),
  lastError: z.string().nullable(),
});
export type QueueStats = z.infer<typeof QueueStats>;

/** One batch's share of the queue: its files' states and bytes, never mixed with another batch's. */
export const BatchQueueFigures = QueueStats.pick({
  total: true,
  byState: true,
  extractionFailed: true,
  bytesTotal: true,
  bytesDone: true,
}).extend({ batchId: z.string(), name: z.string(), createdAt: z.string() });
export type BatchQueueFigures = z.infer<typeof BatchQueueFigures>;

export const LocalBatch = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  serverBatchId: z.string().nullable(),
  fileCount: z.number(),
});
export type LocalBatch = z.infer<typeof LocalBatch>;

/** Which queued files a pause, resume, cancel or retry applies to; omit both for "everything". */
export const QueueSelector = z
  .object({ fileIds: z.array(Id).max(100_000).optional(), batchId: Id.optional() })
  .strict();
export type QueueSelector = z.infer<typeof QueueSelector>;

export const DocumentQuery = z
  .object({
    status: z.enum(DOCUMENT_STATUSES).optional(),
    docType: z.enum(DOC_TYPES).optional(),
    batchId: Id.optional(),
    search: z.string().max(200).optional(),
    expiringWithinDays: z.number().int().min(0).max(3650).optional(),
    sort: z.enum(['updatedAt', 'fileName', 'expirationDate', 'status']).optional(),
    direction: z.enum(['asc', 'desc']).optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type DocumentQuery = z.infer<typeof DocumentQuery>;

/** A row of the Documents list: the server's summary plus what the local mirror read from its extraction. */
export const DocumentListItem = DocumentSummary.extend({
  /** The credential holder's name as extracted (corrected if reviewed); null until extraction has finished. */
  personName: z.string().nullable(),
});
export type DocumentListItem = z.infer<typeof DocumentListItem>;
