/**
 * Stage 1: open the bytes with pdf.js (legacy build, no eval, no network, fonts from the
 * package) and turn every way a file can be unreadable into a stable error code.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PDFDocumentProxy } from 'pdfjs-dist/types/src/display/api';
import type { ExtractionErrorCode } from '../../common/extraction';
import { checkInflatedSizes, MAX_STREAM_BYTES, MAX_TOTAL_INFLATED_BYTES } from './inflate-guard';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_PAGES = 100;

export class LoadError extends Error {
  constructor(
    readonly code: ExtractionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LoadError';
  }
}

// Not named `require`: electron-vite's ESM output declares its own `require` shim in the same scope.
const cjsRequire = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(cjsRequire.resolve('pdfjs-dist/package.json'));
/** pdf.js wants directory URLs with a trailing slash. */
const standardFontDataUrl = pathToFileURL(path.join(pdfjsRoot, 'standard_fonts') + path.sep).href;
const cMapUrl = pathToFileURL(path.join(pdfjsRoot, 'cmaps') + path.sep).href;

type PdfJs = typeof PdfJsModule;
let pdfjsModule: Promise<PdfJs> | undefined;
export function loadPdfJs(): Promise<PdfJs> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

export interface LoadLimits {
  maxBytes?: number;
  maxPages?: number;
}

/** Checks the header before pdf.js sees anything: pdf.js would happily search for `%PDF-` further in. */
export function checkHeader(bytes: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): void {
  if (bytes.length === 0)
    throw new LoadError(
      'not_pdf',
      'The file is empty (0 bytes): it is not a PDF. Check that the upload or copy completed.',
    );
  if (bytes.length > maxBytes) {
    throw new LoadError(
      'too_large',
      `The file is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${(maxBytes / 1048576).toFixed(0)} MB. Split or compress the PDF and upload it again.`,
    );
  }
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(5, bytes.length)).toString('latin1');
  if (head !== '%PDF-')
    throw new LoadError(
      'not_pdf',
      `The file does not start with "%PDF-" (it starts with ${describeHead(bytes)}): it is not a PDF. Export or scan the document to PDF and upload that.`,
    );
}

function describeHead(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'a JPEG signature';
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'a PNG signature';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'a ZIP signature';
  const text = Buffer.from(bytes.subarray(0, 16))
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '.');
  return JSON.stringify(text);
}

/** Opens a PDF; throws LoadError with a stable code for any document-level failure. */
export async function openPdf(bytes: Uint8Array, limits: LoadLimits = {}): Promise<PDFDocumentProxy> {
  checkHeader(bytes, limits.maxBytes);
  const inflated = await checkInflatedSizes(bytes);
  if (!inflated.ok) {
    throw new LoadError(
      'too_large',
      `The PDF's compressed content expands to more than ${Math.round(MAX_STREAM_BYTES / 1048576)} MB in one stream or ${Math.round(MAX_TOTAL_INFLATED_BYTES / 1048576)} MB in all (a decompression bomb or an unusually heavy file). Re-export or re-scan it at a normal resolution.`,
    );
  }
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    // pdf.js detaches the buffer it is given: hand it a copy so the caller's bytes survive.
    data: bytes.slice(),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl,
    cMapUrl,
    cMapPacked: true,
    stopAtErrors: false,
    verbosity: 0,
    enableXfa: false,
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw mapPdfJsError(err);
  }
  const maxPages = limits.maxPages ?? DEFAULT_MAX_PAGES;
  if (doc.numPages > maxPages) {
    const pages = doc.numPages;
    await doc.destroy();
    throw new LoadError(
      'too_many_pages',
      `The PDF has ${pages} pages; the limit is ${maxPages}. Split it into one document per credential and upload those.`,
    );
  }
  if (doc.numPages < 1) {
    await doc.destroy();
    throw new LoadError('corrupt', 'The PDF has no pages. Re-export or re-scan the document.');
  }
  return doc;
}

export function mapPdfJsError(err: unknown): LoadError {
  if (err instanceof LoadError) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException') {
    return new LoadError(
      'encrypted',
      'The PDF is password-protected. Remove the password (print to PDF or save without security) and upload it again.',
    );
  }
  // pdf.js names its errors: a file cut short or without a cross-reference table is an
  // InvalidPDFException ("Invalid PDF structure"); anything else it could not parse is damage.
  if (name === 'InvalidPDFException') {
    return new LoadError(
      'corrupt',
      'The PDF is truncated or damaged (pdf.js could not find its structure). Re-download or re-export the file.',
    );
  }
  return new LoadError(
    'corrupt',
    'The PDF is damaged and could not be read. Re-export or re-scan the document and upload it again.',
  );
}
