/**
 * Extraction pipeline entry point (issue 4 grows it into the full pipeline).
 * Contract: never throws for a bad document; returns an ExtractionOutcome.
 * For now it only loads the PDF and reports its page count, as issue 2 allows.
 */
import type { ExtractionOutcome } from '../../common/extraction';

export const PIPELINE_VERSION = '0.0.1-pagecount';

export interface ExtractOptions {
  maxPages?: number;
  signal?: AbortSignal;
}

export async function extractPdf(bytes: Uint8Array, opts: ExtractOptions = {}): Promise<ExtractionOutcome> {
  const started = performance.now();
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  if (head !== '%PDF-') return { error: { code: 'not_pdf', message: 'The file does not start with %PDF-.' } };
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  try {
    const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, stopAtErrors: false }).promise;
    const pages = doc.numPages;
    await doc.destroy();
    if (opts.maxPages && pages > opts.maxPages) return { error: { code: 'too_many_pages', message: `The PDF has ${pages} pages (limit ${opts.maxPages}).` } };
    return { docType: 'unknown', docTypeConfidence: 0, fields: { npi: null }, pages, ocr: false, ms: Math.round(performance.now() - started), warnings: [] };
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'PasswordException') return { error: { code: 'encrypted', message: 'The PDF is password-protected.' } };
    return { error: { code: 'corrupt', message: 'The PDF could not be read.' } };
  }
}
