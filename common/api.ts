/**
 * THE HTTP contract between the bundled server and its clients (desktop core, CLI, tests).
 * Zod schemas validate at the server's edge; clients parse responses with the same schemas.
 * All routes live under API_PREFIX except the health checks; errors are always ErrorBody.
 */
import { z } from 'zod';
import { DOC_TYPES } from './extraction';

export const API_PREFIX = '/api/v1';

export const DOCUMENT_STATUSES = [
  'uploaded',
  'processing',
  'review_pending',
  'approved',
  'rejected',
  'failed',
] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const ROLES = ['admin', 'reviewer', 'uploader'] as const;
export type Role = (typeof ROLES)[number];

/** `{"error":{"code","message"}}`; `code` is an ErrorKind from common/errors.ts. */
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex characters');
const id = z.string().min(1).max(64);
const isoTime = z.string();

// ---- health ---------------------------------------------------------------------------
export const ComponentHealth = z.object({ ok: z.boolean(), error: z.string().optional() });
export const HealthResponse = z.object({
  status: z.enum(['ok', 'down']),
  database: ComponentHealth,
  storage: ComponentHealth,
  queue: ComponentHealth.extend({ pending: z.number().int(), running: z.number().int(), dead: z.number().int() }),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

// ---- auth ------------------------------------------------------------------------------
export const LoginRequest = z.object({ email: z.string().min(3).max(320), password: z.string().min(1).max(1024) });
export type LoginRequest = z.infer<typeof LoginRequest>;
export const SessionUser = z.object({
  id,
  email: z.string(),
  role: z.enum(ROLES),
  organization: z.object({ id, name: z.string() }),
});
export type SessionUser = z.infer<typeof SessionUser>;
export const LoginResponse = z.object({ token: z.string(), expiresAt: isoTime, user: SessionUser });
export type LoginResponse = z.infer<typeof LoginResponse>;

// ---- limits ----------------------------------------------------------------------------
/**
 * GET /limits: what the server refuses, for a client's preflight (never a copy in the client).
 * A file past maxUploadBytes is refused at register; one past any other limit is stored and then
 * fails extraction with the code named beside it.
 */
export const ServerLimits = z.object({
  /** Largest file an upload may register (413 too_large above it). */
  maxUploadBytes: z.number().int().positive(),
  /** Largest PDF extracted (extraction code too_large). */
  maxDocumentBytes: z.number().int().positive(),
  /** Most pages extracted (too_many_pages). */
  maxPages: z.number().int().positive(),
  /** Decompression-bomb guard: most bytes one compressed stream, and all of them, may inflate to (too_large). */
  maxInflatedStreamBytes: z.number().int().positive(),
  maxInflatedTotalBytes: z.number().int().positive(),
  /** Time one extraction may take (timeout, retried, then failed). */
  extractionTimeoutMs: z.number().int().positive(),
  /** Only PDFs: a non-empty file starting with `%PDF-` (not_pdf otherwise). */
  mediaTypes: z.array(z.string()),
  /** false: a password-protected PDF fails (encrypted). */
  acceptsEncrypted: z.boolean(),
});
export type ServerLimits = z.infer<typeof ServerLimits>;

// ---- batches ---------------------------------------------------------------------------
export const CreateBatchRequest = z.object({
  name: z.string().min(1).max(200),
  expectedFiles: z.number().int().min(0).optional(),
});
export type CreateBatchRequest = z.infer<typeof CreateBatchRequest>;
export const BatchStats = z.object({
  id,
  name: z.string(),
  createdAt: isoTime,
  total: z.number().int(),
  counts: z.record(z.enum(DOCUMENT_STATUSES), z.number().int()),
  /** (review_pending + approved + rejected) / documents that left processing; null before any did. */
  successRate: z.number().nullable(),
  meanProcessingMs: z.number().nullable(),
  meanConfidence: z.number().nullable(),
});
export type BatchStats = z.infer<typeof BatchStats>;
export const BatchList = z.object({ batches: z.array(BatchStats) });

// ---- uploads ---------------------------------------------------------------------------
/** A relPath longer than this (after control characters are stripped) is refused. */
export const REL_PATH_MAX_CHARS = 1024;
export const RegisterUploadRequest = z.object({
  fileName: z.string().min(1).max(255),
  sizeBytes: z.number().int().positive(),
  sha256: sha256Hex,
  batchId: id.optional(),
  provider: z.string().max(200).optional(),
  /**
   * The file's path relative to the imported folder, forward slashes ("Sehgal_Ashok/license.pdf"),
   * never absolute: its folder names are a provider hint. PHI-adjacent: never logged. The server
   * refuses ".." and absolute paths and strips control characters (server/uploads/rel-path.ts).
   * The schema bounds it loosely; REL_PATH_MAX_CHARS is checked per file, so a batch refuses that file alone.
   */
  relPath: z
    .string()
    .max(REL_PATH_MAX_CHARS * 4)
    .optional(),
});
export type RegisterUploadRequest = z.infer<typeof RegisterUploadRequest>;

export const UploadedPart = z.object({
  partNumber: z.number().int().min(1).max(10_000),
  etag: z.string().min(1),
  sizeBytes: z.number().int().optional(),
});
export type UploadedPart = z.infer<typeof UploadedPart>;

export const SignedPartUrl = z.object({ partNumber: z.number().int(), url: z.string(), expiresAt: isoTime });
export type SignedPartUrl = z.infer<typeof SignedPartUrl>;
/** How many part URLs a register answer carries at most. */
export const INLINE_PART_URLS = 16;

export const RegisterUploadResponse = z.discriminatedUnion('outcome', [
  /** The organisation already has a document with this SHA-256: nothing to upload. */
  z.object({ outcome: z.literal('duplicate'), documentId: id, status: z.enum(DOCUMENT_STATUSES) }),
  /**
   * Upload parts of `partSizeBytes` (the last one shorter). An unfinished upload of the same hash is returned again, so a client that lost its state resumes it.
   * `urls` (optional): signed URLs for the first parts (up to INLINE_PART_URLS), so a small file needs no sign call; sign the rest, or a refused one, as usual.
   * `mode` (optional, default multipart): 'single' when the file is one part, stored by a plain PUT to its key; the client sends and completes it like any part 1.
   */
  z.object({
    outcome: z.literal('upload'),
    uploadId: id,
    partSizeBytes: z.number().int().positive(),
    partCount: z.number().int().positive(),
    mode: z.enum(['multipart', 'single']).optional(),
    urls: z.array(SignedPartUrl).optional(),
  }),
]);
export type RegisterUploadResponse = z.infer<typeof RegisterUploadResponse>;

export const SignPartsRequest = z.object({ partNumbers: z.array(z.number().int().min(1).max(10_000)).min(1).max(100) });
export type SignPartsRequest = z.infer<typeof SignPartsRequest>;
export const SignPartsResponse = z.object({ urls: z.array(SignedPartUrl) });
export type SignPartsResponse = z.infer<typeof SignPartsResponse>;

/** `supported: false` where the store has no ListParts (s3rver): the client relies on its own record. */
export const ListPartsResponse = z.object({ supported: z.boolean(), parts: z.array(UploadedPart) });
export type ListPartsResponse = z.infer<typeof ListPartsResponse>;

export const CompleteUploadRequest = z.object({ parts: z.array(UploadedPart).min(1).max(10_000) });
export type CompleteUploadRequest = z.infer<typeof CompleteUploadRequest>;
/** Answered with 202 at once; completing an already completed upload answers the same again. */
export const CompleteUploadResponse = z.object({ documentId: id, status: z.enum(DOCUMENT_STATUSES) });
export type CompleteUploadResponse = z.infer<typeof CompleteUploadResponse>;

// Batches of the two calls every file makes, for bulk imports: one request, one session check and
// one durable commit for many files instead of one each. Answers come one per item, in order; an
// item the server refuses (a 4xx of the single call) is an `error` item, any other failure fails
// the whole request (and is retried whole: registering and completing are idempotent).
export const MAX_BATCH_ITEMS = 100;
/** One refused item: the code, message and status the single call would have answered. */
export const BatchItemError = z.object({
  outcome: z.literal('error'),
  error: z.object({ code: z.string(), message: z.string() }),
  status: z.number().int(),
});
export type BatchItemError = z.infer<typeof BatchItemError>;
export const RegisterUploadsRequest = z.object({ files: z.array(RegisterUploadRequest).min(1).max(MAX_BATCH_ITEMS) });
export type RegisterUploadsRequest = z.infer<typeof RegisterUploadsRequest>;
export const RegisterUploadsResponse = z.object({
  results: z.array(z.union([RegisterUploadResponse, BatchItemError])),
});
export type RegisterUploadsResponse = z.infer<typeof RegisterUploadsResponse>;
export const CompleteUploadsRequest = z.object({
  uploads: z
    .array(z.object({ uploadId: id, parts: CompleteUploadRequest.shape.parts }))
    .min(1)
    .max(MAX_BATCH_ITEMS),
});
export type CompleteUploadsRequest = z.infer<typeof CompleteUploadsRequest>;
export const CompleteUploadsResponse = z.object({
  results: z.array(z.union([CompleteUploadResponse.extend({ outcome: z.literal('completed') }), BatchItemError])),
});
export type CompleteUploadsResponse = z.infer<typeof CompleteUploadsResponse>;

// ---- documents -------------------------------------------------------------------------
/**
 * The provider a document is matched to (server/providers/match-store.ts), as lists show it.
 * evidence: npi, dea, license, csr, name, new (a provider started from this document), manual
 * (a coordinator decided) or none. needsConfirmation: weak, ambiguous or conflicting evidence
 * that waits for a coordinator (providerId may then be a tentative choice, or null).
 */
export const DocumentMatch = z.object({
  providerId: id.nullable(),
  providerName: z.string().nullable(),
  evidence: z.string(),
  score: z.number(),
  needsConfirmation: z.boolean(),
});
export type DocumentMatch = z.infer<typeof DocumentMatch>;

export const DocumentSummary = z.object({
  id,
  batchId: id.nullable(),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  failureReason: z.string().nullable(),
  provider: z.string().nullable(),
  docType: z.enum(DOC_TYPES).nullable(),
  docTypeConfidence: z.number().nullable(),
  pages: z.number().int().nullable(),
  /** Effective (corrected if reviewed) expiration date, for the expiring-soon view. */
  expirationDate: z.string().nullable(),
  /** Lowest field confidence of the latest extraction. */
  minConfidence: z.number().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** Monotonic per server; the change feed's cursor is the largest seen. */
  changeSeq: z.number().int(),
  /**
   * Its provider match: null until matched. A change of match moves changeSeq, so the feed carries
   * it. Optional only for summaries from a server (or a mirror row) before matches were sent: read as null.
   */
  match: DocumentMatch.nullable().optional(),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;

export const ChangesQuery = z.object({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const ChangesResponse = z.object({
  documents: z.array(DocumentSummary),
  /** Documents deleted (batch delete) since the cursor: drop them from a mirror. */
  deletedIds: z.array(id).default([]),
  cursor: z.number().int(),
  hasMore: z.boolean(),
});
export type ChangesResponse = z.infer<typeof ChangesResponse>;

const BBoxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export const FieldValueSchema = z.object({
  value: z.unknown(),
  confidence: z.number(),
  page: z.number().int(),
  bbox: BBoxSchema,
});
export const ExtractionSchema = z.object({
  docType: z.enum(DOC_TYPES),
  docTypeConfidence: z.number(),
  fields: z.record(z.string(), FieldValueSchema.nullable()),
  pages: z.number().int(),
  ocr: z.boolean(),
  ms: z.number(),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), field: z.string().optional() })),
  /** Pipeline version that produced it (re-processing after an upgrade writes a new one). */
  pipelineVersion: z.string(),
  createdAt: isoTime,
});
export type Extraction = z.infer<typeof ExtractionSchema>;

export const Correction = z.object({ value: z.unknown(), by: z.string(), at: isoTime });
export const DocumentDetail = DocumentSummary.extend({
  extraction: ExtractionSchema.nullable(),
  /** Reviewer's corrected values by field name; they win over the extraction's. */
  corrections: z.record(z.string(), Correction),
  reviewedBy: z.string().nullable(),
  reviewedAt: isoTime.nullable(),
  attempts: z.number().int(),
});
export type DocumentDetail = z.infer<typeof DocumentDetail>;

export const ReviewRequest = z.object({
  /** Corrected values by field name; `null` clears a value the document does not show. */
  fields: z.record(z.string(), z.unknown()).optional(),
  decision: z.enum(['approve', 'reject']).optional(),
  reason: z.string().max(2000).optional(),
});
export type ReviewRequest = z.infer<typeof ReviewRequest>;

/** POST /documents/:id/reopen: an approved or rejected document back to review_pending (its reviewer or an admin). */
export const ReopenRequest = z.object({ reason: z.string().max(2000).optional() });
export type ReopenRequest = z.infer<typeof ReopenRequest>;

/**
 * POST /documents/:id/replace: another file for a failed document. The answer is a register answer
 * (outcome `upload`); the parts and the complete go through /uploads/:uploadId as for any upload,
 * and complete answers the SAME document id, back to `uploaded` with the new file.
 */
export const ReplaceDocumentRequest = z.object({
  fileName: z.string().min(1).max(255),
  sizeBytes: z.number().int().positive(),
  sha256: sha256Hex,
});
export type ReplaceDocumentRequest = z.infer<typeof ReplaceDocumentRequest>;

/** POST /documents/:id/reprocess answer (202). */
export const ReprocessResponse = z.object({ documentId: id, status: z.literal('uploaded') });
export type ReprocessResponse = z.infer<typeof ReprocessResponse>;

export const ContentUrlResponse = z.object({ url: z.string(), expiresAt: isoTime });
export type ContentUrlResponse = z.infer<typeof ContentUrlResponse>;

export const AuditEvent = z.object({
  id: z.number().int(),
  at: isoTime,
  actor: z.string().nullable(),
  action: z.string(),
  documentId: id.nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const AuditList = z.object({ events: z.array(AuditEvent) });
export const AuditVerifyResponse = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBadId: z.number().int().nullable(),
});
