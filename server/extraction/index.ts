/**
 * Extraction pipeline entry point: load → text layer (or OCR) → lines → classify →
 * per-type field rules → confidence → validators → locate.
 * Contract: never throws for a bad document; returns an ExtractionOutcome.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist/types/src/display/api';
import {
  FIELDS_BY_DOC_TYPE,
  type DocType,
  type DocumentText,
  type ExtractionExplanation,
  type ExtractionErrorCode,
  type ExtractionOutcome,
  type ExtractionWarning,
  type FieldValue,
} from '../../common/extraction';
import { classify } from './classify';
import { calibrateOcr, scoreConfidence, round } from './confidence';
import { extractCmeCertificate } from './doc-types/cme-certificate';
import { extractCmeTranscript } from './doc-types/cme-transcript';
import { extractCsrCertificate } from './doc-types/csr-certificate';
import { extractDeaRegistration } from './doc-types/dea-registration';
import { extractMedicalLicense } from './doc-types/medical-license';
import { docContext, npi, type DocTypeRules, type FieldMap } from './doc-types/shared-fields';
import { buildLines } from './lines';
import { LoadError, openPdf } from './load';
import { locate } from './locate';
import { ocrPage } from './ocr';
import { hasUsableText, readTextLayer } from './text-layer';
import type { FieldResult, Word } from './types';
import { validateFields } from './validate';

export const PIPELINE_VERSION = '1.0.0';

export interface ExtractOptions {
  maxPages?: number;
  maxBytes?: number;
  /** OCR at most this many pages without a text layer (default 10); the rest are skipped with a warning. */
  maxOcrPages?: number;
  /** Set false to skip OCR entirely (text-layer only). */
  ocr?: boolean;
  signal?: AbortSignal;
}

const RULES: Record<DocType, DocTypeRules> = {
  dea_registration: extractDeaRegistration,
  medical_license: extractMedicalLicense,
  csr_certificate: extractCsrCertificate,
  cme_certificate: extractCmeCertificate,
  cme_transcript: extractCmeTranscript,
  unknown: (ctx) => ({ npi: npi(ctx) }),
};

export async function extractPdf(bytes: Uint8Array, opts: ExtractOptions = {}): Promise<ExtractionOutcome> {
  return (await extractDocument(bytes, opts)).outcome;
}

/** The outcome, and on success the text that was read (null on failure). */
export interface ExtractedDocument {
  outcome: ExtractionOutcome;
  text: DocumentText | null;
  explanation?: ExtractionExplanation;
}

export async function extractDocument(bytes: Uint8Array, opts: ExtractOptions = {}): Promise<ExtractedDocument> {
  const started = performance.now();
  let doc: PDFDocumentProxy | undefined;
  const failed = (code: ExtractionErrorCode, message: string): ExtractedDocument => ({
    outcome: { error: { code, message } },
    text: null,
  });
  try {
    doc = await openPdf(bytes, { maxBytes: opts.maxBytes, maxPages: opts.maxPages });
    const read = await readPages(doc, opts);
    if (read.readPages === 0)
      return failed('corrupt', 'No page of the PDF could be read. Re-export or re-scan the document.');
    const r = analyse(read.words, read.warnings);
    const ms = Math.round(performance.now() - started);
    const outcome = {
      docType: r.docType,
      docTypeConfidence: r.docTypeConfidence,
      fields: r.fields,
      pages: doc.numPages,
      ocr: read.ocr,
      ms,
      warnings: r.warnings,
    };
    return { outcome, text: documentText(read), explanation: r.explanation };
  } catch (err) {
    if (err instanceof LoadError) return failed(err.code, err.message);
    if (opts.signal?.aborted) return failed('timeout', 'Extraction was cancelled after its time limit.');
    return failed('corrupt', 'The PDF could not be processed (damaged content). Re-export or re-scan the document.');
  } finally {
    await doc?.destroy().catch(() => undefined);
  }
}

/** Each page's words as lines of text, in reading order (the lines the field rules read). */
function documentText(read: ReadPages): DocumentText {
  const linesByPage = new Map<number, string[]>();
  for (const line of buildLines(read.words)) {
    const page = linesByPage.get(line.page) ?? [];
    page.push(line.text);
    linesByPage.set(line.page, page);
  }
  return {
    pipelineVersion: PIPELINE_VERSION,
    pages: read.sources.map((source, i) => ({ page: i + 1, source, text: (linesByPage.get(i + 1) ?? []).join('\n') })),
  };
}

interface ReadPages {
  words: Word[];
  warnings: ExtractionWarning[];
  ocr: boolean;
  readPages: number;
  /** Where each page's words came from, by page index ('none': skipped or unreadable). */
  sources: Array<DocumentText['pages'][number]['source']>;
}

async function readPages(doc: PDFDocumentProxy, opts: ExtractOptions): Promise<ReadPages> {
  const words: Word[] = [];
  const warnings: ExtractionWarning[] = [];
  let ocr = false;
  let ocrPages = 0;
  let readPages = 0;
  const sources: ReadPages['sources'] = [];
  const maxOcr = opts.ocr === false ? 0 : (opts.maxOcrPages ?? 10);
  for (let n = 1; n <= doc.numPages; n++) {
    if (opts.signal?.aborted) throw new Error('aborted');
    try {
      const page = await doc.getPage(n);
      let pageWords = await readTextLayer(page, n);
      sources[n - 1] = 'text';
      if (!hasUsableText(pageWords)) {
        if (ocrPages < maxOcr) {
          ocrPages++;
          const result = await ocrPage(doc, page, n);
          pageWords = result.words;
          ocr = true;
          sources[n - 1] = 'ocr';
        } else if (opts.ocr !== false) {
          sources[n - 1] = 'none';
          warnings.push({
            code: 'ocr_page_limit',
            message: `Page ${n} has no text layer and was not OCR-read (limit ${maxOcr} pages).`,
          });
        }
      }
      words.push(...pageWords);
      page.cleanup();
      readPages++;
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      warnings.push({ code: 'page_unreadable', message: `Page ${n} could not be read and was skipped.` });
      sources[n - 1] = 'none';
    }
  }
  return { words, warnings, ocr, readPages, sources };
}

/** Classification and field rules over the words of a document (exported for unit tests). */
export function analyse(words: Word[], warnings: ExtractionWarning[] = []) {
  const lines = buildLines(words);
  const ctx = docContext(lines);
  const text = ctx.text;
  const heading = lines
    .filter((l) => l.page === 1 && l.y0 < HEADING_DEPTH)
    .map((l) => l.text)
    .join('\n');
  const classification = classify(text, heading);
  const { docType, confidence: docTypeConfidence } = classification;
  if (!words.length)
    warnings.push({
      code: 'no_text',
      message: 'No text was found on any page (blank, or an image OCR could not read).',
    });
  const found: FieldMap = RULES[docType](ctx);
  const results: Record<string, FieldResult | null> = {};
  // A wrong docType makes every field wrong: an unsure classification caps the fields' confidence.
  const typeFactor = docTypeConfidence >= 0.8 ? 1 : 0.4 + 0.75 * docTypeConfidence;
  const how: ExtractionExplanation['fields'] = {};
  for (const name of FIELDS_BY_DOC_TYPE[docType]) {
    const f = found[name];
    if (!f) {
      results[name] = null;
      continue;
    }
    how[name] = { method: f.method, labelStrength: f.labelStrength };
    results[name] = { ...f, confidence: scoreConfidence(name, f) * typeFactor, ...locate(f.words) };
  }
  validateFields(docType, results, warnings);
  const fields: Record<string, FieldValue | null> = {};
  for (const [name, r] of Object.entries(results)) {
    if (!r) {
      fields[name] = null;
      continue;
    }
    const ocr = r.words.some((w) => w.conf < 0.999);
    const confidence = round(ocr ? calibrateOcr(r.confidence) : r.confidence);
    fields[name] = { value: r.value, confidence, page: r.page, bbox: r.bbox };
  }
  return {
    docType,
    docTypeConfidence,
    fields,
    warnings,
    explanation: { evidence: classification.evidence, fields: how },
  };
}

/** The top of the first page, where a document names its issuer and its kind. */
const HEADING_DEPTH = 0.3;
