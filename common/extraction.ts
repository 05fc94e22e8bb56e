/**
 * The extraction output contract of ../shared/spec/extraction.md, shared by the pipeline,
 * the server API, the desktop mirror, the review screen and the benchmarks.
 */
export const DOC_TYPES = [
  'dea_registration',
  'medical_license',
  'csr_certificate',
  'cme_certificate',
  'cme_transcript',
  'unknown',
] as const;
export type DocType = (typeof DOC_TYPES)[number];

/** Field names each docType may return (every type may also return `npi`). */
export const FIELDS_BY_DOC_TYPE: Record<DocType, readonly string[]> = {
  dea_registration: [
    'registrantName',
    'deaNumber',
    'schedules',
    'expirationDate',
    'issueDate',
    'businessActivity',
    'state',
    'npi',
  ],
  medical_license: [
    'licenseeName',
    'state',
    'licenseNumber',
    'licenseType',
    'issueDate',
    'expirationDate',
    'status',
    'npi',
  ],
  csr_certificate: ['registrantName', 'state', 'registrationNumber', 'schedules', 'issueDate', 'expirationDate', 'npi'],
  cme_certificate: ['participantName', 'activityTitle', 'provider', 'completionDate', 'credits', 'creditType', 'npi'],
  cme_transcript: ['participantName', 'activities', 'totalCredits', 'npi'],
  unknown: ['npi'],
};

export const SCHEDULES = ['1', '2', '2N', '3', '3N', '4', '5'] as const;
export const CREDIT_TYPES = [
  'AMA_PRA_1',
  'AMA_PRA_2',
  'AOA_1A',
  'AOA_1B',
  'AOA_2A',
  'AOA_2B',
  'AAFP',
  'ANCC',
  'AAPA_1',
  'OTHER',
] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

export interface CmeActivity {
  title: string;
  provider: string | null;
  completionDate: string | null;
  credits: number | null;
  creditType: CreditType | null;
}

/** `[x0, y0, x1, y1]` in page fractions, origin top-left. */
export type BBox = [number, number, number, number];

export type FieldScalar = string | number | string[] | CmeActivity[];

export interface FieldValue {
  value: FieldScalar;
  /** 0..1, calibrated: of values given 0.9, about nine in ten are right. */
  confidence: number;
  /** 1-based page number. */
  page: number;
  bbox: BBox;
}

export interface ExtractionWarning {
  code: string;
  message: string;
  field?: string;
}

export interface ExtractionSuccess {
  docType: DocType;
  docTypeConfidence: number;
  fields: Record<string, FieldValue | null>;
  pages: number;
  ocr: boolean;
  ms: number;
  warnings: ExtractionWarning[];
}

/**
 * The text the pipeline read from a document, page by page, from its text layer or by OCR. The
 * worker stores it beside the PDF (a derived artifact): reviewers can search or copy it, and
 * OCR need not be redone to look at what was read.
 */
export interface DocumentText {
  pipelineVersion: string;
  pages: Array<{ page: number; source: 'text' | 'ocr' | 'none'; text: string }>;
}

/**
 * Why the pipeline answered as it did (`credmate extract --explain`): the evidence each document
 * type scored, strongest first, and how each field's value was found.
 */
export interface ExtractionExplanation {
  evidence: Array<{ type: DocType | 'other'; name: string; hits: number; score: number }>;
  fields: Record<string, { method: string; labelStrength: number }>;
}

export const EXTRACTION_ERROR_CODES = [
  'not_pdf',
  'encrypted',
  'corrupt',
  'too_large',
  'too_many_pages',
  'timeout',
  'out_of_memory',
  'crashed',
  'unreadable',
] as const;
export type ExtractionErrorCode = (typeof EXTRACTION_ERROR_CODES)[number];

export interface ExtractionFailure {
  error: { code: ExtractionErrorCode; message: string };
}

export type ExtractionOutcome = ExtractionSuccess | ExtractionFailure;

export function isExtractionFailure(o: ExtractionOutcome): o is ExtractionFailure {
  return 'error' in o;
}
