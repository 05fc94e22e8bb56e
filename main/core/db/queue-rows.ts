import type { DocumentStatus } from '../../../common/api';
import type { ErrorKind } from '../../../common/errors';
import type { LocalBatch, QueueItem, QueueState } from '../../../common/domain';

/** A file row as stored; `QueueItem` is what leaves the core. */
export interface FileRow {
  seq: number;
  id: string;
  batch_id: string;
  path: string;
  rel_path: string;
  file_name: string;
  size_bytes: number;
  mtime_ms: number;
  sha256: string;
  pages: number | null;
  state: QueueState;
  bytes_sent: number;
  error_kind: ErrorKind | null;
  error_message: string | null;
  document_id: string | null;
  document_status: DocumentStatus | null;
  created_at: string;
  updated_at: string;
}

export interface BatchRow {
  id: string;
  name: string;
  provider: string | null;
  created_at: string;
  server_batch_id: string | null;
  file_count?: number;
}

export function toQueueItem(r: FileRow): QueueItem {
  return {
    id: r.id,
    batchId: r.batch_id,
    path: r.path,
    relPath: r.rel_path,
    fileName: r.file_name,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    state: r.state,
    bytesSent: r.bytes_sent,
    error: r.error_kind ? { kind: r.error_kind, message: r.error_message ?? '' } : null,
    documentId: r.document_id,
    documentStatus: r.document_status,
    updatedAt: r.updated_at,
  };
}

export function toLocalBatch(r: BatchRow): LocalBatch {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    serverBatchId: r.server_batch_id,
    fileCount: r.file_count ?? 0,
  };
}
