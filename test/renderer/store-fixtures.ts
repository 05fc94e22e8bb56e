import type { DocumentDetail } from '../../common/api';
import type { DocumentListItem, QueueItem, ScannedFile } from '../../preload/contract';

export function scanned(id: string, over: Partial<ScannedFile> = {}): ScannedFile {
  return {
    id,
    path: `/in/${id}.pdf`,
    relPath: `${id}.pdf`,
    sizeBytes: 1000,
    kind: 'pdf',
    skipReason: null,
    sha256: id.padEnd(64, '0'),
    pages: 1,
    duplicateOf: null,
    alreadyQueued: false,
    typeGuess: null,
    ...over,
  };
}

export function queueItem(id: string, over: Partial<QueueItem> = {}): QueueItem {
  return {
    id,
    batchId: 'b1',
    path: `/in/${id}.pdf`,
    relPath: `${id}.pdf`,
    fileName: `${id}.pdf`,
    sizeBytes: 1000,
    sha256: 'x',
    state: 'queued',
    bytesSent: 0,
    error: null,
    documentId: null,
    documentStatus: null,
    updatedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

export function detail(over: Partial<DocumentDetail> = {}): DocumentDetail {
  return {
    id: 'd1',
    batchId: 'sb1',
    fileName: 'dea.pdf',
    sizeBytes: 1000,
    sha256: 'x',
    status: 'review_pending',
    failureReason: null,
    provider: null,
    docType: 'dea_registration',
    docTypeConfidence: 0.98,
    pages: 1,
    expirationDate: '2027-01-31',
    minConfidence: 0.4,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    changeSeq: 1,
    extraction: {
      docType: 'dea_registration',
      docTypeConfidence: 0.98,
      fields: {
        registrantName: { value: 'MORRIS, DMITRI', confidence: 0.97, page: 1, bbox: [0.1, 0.2, 0.4, 0.25] },
        deaNumber: { value: 'BM4447783', confidence: 0.96, page: 1, bbox: [0.1, 0.1, 0.3, 0.12] },
        schedules: { value: ['2', '3'], confidence: 0.95, page: 1, bbox: [0.1, 0.3, 0.2, 0.32] },
        expirationDate: { value: '2027-01-31', confidence: 0.7, page: 1, bbox: [0.5, 0.1, 0.6, 0.12] },
        issueDate: { value: '2024-01-31', confidence: 0.4, page: 1, bbox: [0.5, 0.3, 0.6, 0.32] },
        npi: null,
      },
      pages: 1,
      ocr: false,
      ms: 420,
      warnings: [{ code: 'dea_checksum', message: 'Check digit does not match.', field: 'deaNumber' }],
      pipelineVersion: '1',
      createdAt: '2026-01-01T00:00:00Z',
    },
    corrections: {},
    reviewedBy: null,
    reviewedAt: null,
    attempts: 1,
    ...over,
  };
}

/** A Documents-list row: the summary fields of `detail()` and the mirror's extracted person. */
export function listItem(over: Partial<DocumentListItem> = {}): DocumentListItem {
  return { ...detail(), personName: null, ...over };
}
