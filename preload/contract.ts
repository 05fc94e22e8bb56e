/**
 * THE IPC contract between the renderer and the main process (and, over HTTP, `npm run web`).
 * One map of channel → handler type and one of event → payload. Every handler takes exactly one
 * argument (use `void` for none) and returns a promise; across the boundary replies travel in a
 * `Result` envelope (common/errors.ts). Only types live here: the renderer imports nothing else.
 */
import type {
  BatchStats,
  DocumentDetail,
  DocumentStatus,
  DocumentSummary,
  ReviewRequest,
  SessionUser,
} from '../common/api';
import type { DocType } from '../common/extraction';
import type { SerializedError } from '../common/errors';

export type SessionState =
  | { signedIn: false; mode: null; serverUrl: string | null; message?: string }
  | { signedIn: true; mode: 'local' | 'remote'; serverUrl: string; user: SessionUser };

export interface ScanOptions {
  /** Folders and/or files (a drop may mix them). */
  paths: string[];
  include?: string[];
  exclude?: string[];
}

export interface ScannedFile {
  /** Stable within a scan; used to ask for the file's bytes (thumbnails) or to exclude it. */
  id: string;
  path: string;
  relPath: string;
  sizeBytes: number;
  kind: 'pdf' | 'skipped';
  /** Why a file was skipped: not a PDF, unreadable, empty, hidden... */
  skipReason: string | null;
  sha256: string | null;
  pages: number | null;
  /** Another file of this scan with the same content. */
  duplicateOf: string | null;
  /** Already in the local queue (imported before). */
  alreadyQueued: boolean;
  typeGuess: DocType | null;
}

export interface ScanProgress {
  scanId: string;
  entriesSeen: number;
  pdfs: number;
  skipped: number;
  duplicates: number;
  bytes: number;
  hashedBytes: number;
  done: boolean;
  cancelled: boolean;
}

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

export interface QueueItem {
  id: string;
  batchId: string;
  path: string;
  relPath: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  state: QueueState;
  bytesSent: number;
  error: SerializedError | null;
  documentId: string | null;
  documentStatus: DocumentStatus | null;
  updatedAt: string;
}

export interface QueueStats {
  total: number;
  byState: Record<QueueState, number>;
  /** Of the uploaded and duplicate files, those whose document failed extraction on the server. */
  extractionFailed: number;
  bytesTotal: number;
  bytesDone: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
  /** The server and store answered the last probe. */
  online: boolean;
  lastError: string | null;
}

/** One batch's share of the queue: its files' states and bytes, never mixed with another batch's. */
export interface BatchQueueFigures extends Pick<
  QueueStats,
  'total' | 'byState' | 'extractionFailed' | 'bytesTotal' | 'bytesDone'
> {
  batchId: string;
  name: string;
  createdAt: string;
}

export interface LocalBatch {
  id: string;
  name: string;
  createdAt: string;
  serverBatchId: string | null;
  fileCount: number;
}

export interface QueueSelector {
  /** Omit both for "everything". */
  fileIds?: string[];
  batchId?: string;
}

export interface DocumentQuery {
  status?: DocumentStatus;
  docType?: DocType;
  batchId?: string;
  search?: string;
  expiringWithinDays?: number;
  sort?: 'updatedAt' | 'fileName' | 'expirationDate' | 'status';
  direction?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

/** A row of the Documents list: the server's summary plus what the local mirror read from its extraction. */
export type DocumentListItem = DocumentSummary & {
  /** The credential holder's name as extracted (corrected if reviewed); null until extraction has finished. */
  personName: string | null;
};

/** Handler map: channel → (arg) => Promise<reply>. */
export interface IpcContract {
  'session.get': (arg: void) => Promise<SessionState>;
  'session.signInLocal': (arg: void) => Promise<SessionState>;
  'session.signIn': (arg: { serverUrl: string; email: string; password: string }) => Promise<SessionState>;
  'session.signOut': (arg: void) => Promise<SessionState>;

  /** Native folder picker; null when the user cancelled (the web transport has none: null). */
  'import.pickFolder': (arg: void) => Promise<string | null>;
  /** Starts a scan; progress and files arrive as `scan.progress` / `scan.files` events. */
  'import.scan': (arg: ScanOptions) => Promise<{ scanId: string }>;
  'import.cancelScan': (arg: { scanId: string }) => Promise<void>;
  /** Bytes of a file found by a scan (for the local preview); only files a scan returned. */
  'import.readFile': (arg: { scanId: string; fileId: string }) => Promise<Uint8Array>;
  /** Queues the scan's PDFs (minus exclusions and local duplicates) as one batch; works offline. */
  'import.queue': (arg: {
    scanId: string;
    excludeFileIds?: string[];
    batchName?: string;
    provider?: string;
    startNow: boolean;
  }) => Promise<LocalBatch>;

  'queue.list': (arg: {
    offset: number;
    limit: number;
    state?: QueueState;
    batchId?: string;
  }) => Promise<{ total: number; items: QueueItem[] }>;
  'queue.stats': (arg: void) => Promise<QueueStats>;
  'queue.pause': (arg: QueueSelector) => Promise<void>;
  'queue.resume': (arg: QueueSelector) => Promise<void>;
  'queue.cancel': (arg: QueueSelector) => Promise<void>;
  'queue.retry': (arg: QueueSelector) => Promise<void>;
  'batches.listLocal': (arg: void) => Promise<LocalBatch[]>;
  /** Per batch, newest first: the Queue screen's figures for each batch (batches with files only). */
  'queue.batchFigures': (arg: void) => Promise<BatchQueueFigures[]>;

  /** From the local mirror, so it works offline. */
  'documents.list': (arg: DocumentQuery) => Promise<{ total: number; items: DocumentListItem[] }>;
  'documents.get': (arg: { id: string }) => Promise<DocumentDetail>;
  'documents.content': (arg: { id: string }) => Promise<Uint8Array>;
  'documents.review': (arg: { id: string } & ReviewRequest) => Promise<DocumentDetail>;

  'batches.stats': (arg: { batchId: string }) => Promise<BatchStats>;
  /** CSV of the extracted (corrected) fields of a batch's documents. */
  'batches.exportCsv': (arg: { batchId: string }) => Promise<string>;

  /** Opens an allow-listed https URL in the system browser. */
  'app.openExternal': (arg: { url: string }) => Promise<void>;
}

/** Event map: event → payload, pushed from main to the renderer. */
export interface IpcEvents {
  'scan.progress': ScanProgress;
  'scan.files': { scanId: string; files: ScannedFile[] };
  'queue.stats': QueueStats;
  /** Items whose state or progress changed (throttled). */
  'queue.items': { items: QueueItem[] };
  'documents.changed': { ids: string[] };
  'batch.finished': { batchId: string; uploaded: number; duplicates: number; failed: number };
  'session.changed': SessionState;
}

export type Channel = keyof IpcContract;
export type EventName = keyof IpcEvents;
export type ChannelArg<K extends Channel> = Parameters<IpcContract[K]>[0];
export type ChannelReply<K extends Channel> = Awaited<ReturnType<IpcContract[K]>>;

/** What the preload exposes on `window.credmate`, and nothing else. */
export interface PreloadApi {
  invoke<K extends Channel>(channel: K, arg: ChannelArg<K>): Promise<ChannelReply<K>>;
  on<E extends EventName>(event: E, listener: (payload: IpcEvents[E]) => void): () => void;
  /** Electron only: the native path of a dropped file (webUtils.getPathForFile); absent on the web. */
  pathForFile?(file: File): string;
}

/** Channel names, for the preload's and the web transport's allow-lists. */
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
  'batches.stats',
  'batches.exportCsv',
  'app.openExternal',
] as const satisfies readonly Channel[];
export const EVENTS = [
  'scan.progress',
  'scan.files',
  'queue.stats',
  'queue.items',
  'documents.changed',
  'batch.finished',
  'session.changed',
] as const satisfies readonly EventName[];
