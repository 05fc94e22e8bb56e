/**
 * What a preflight decides about a PDF before it is uploaded, shared by the import preview
 * (renderer/pdf/preflight.ts, pdf.js in the window) and the watched folders of the desktop and the
 * command line (main/core/watch/pdf-check-thread.ts, pdf.js's legacy build in a Node thread): the
 * server's limits, the reason for each way a PDF fails to open, and what counts as a page with
 * nothing to read. Free of pdf.js itself (each side loads its own build and passes the document
 * in), of the DOM and of Node. The wording follows the server's own refusals
 * (server/extraction/load.ts).
 */

/** The server's limits; null where the server has not said (that check is then not made). */
export interface PreflightLimits {
  maxBytes: number | null;
  maxPages: number | null;
}

export const NO_LIMITS: PreflightLimits = { maxBytes: null, maxPages: null };

export type PreflightCode =
  'too_large' | 'too_many_pages' | 'encrypted' | 'damaged' | 'no_content' | 'timed_out' | 'unreadable';

export interface PreflightProblem {
  code: PreflightCode;
  reason: string;
}

export type PreflightResult = { ok: true; note?: string } | { ok: false; problem: PreflightProblem };

/** Pages looked at for text or images when no limit says otherwise (credentials are short). */
export const MAX_PAGES_LOOKED_AT = 100;

const MIB = 1048576;
/** A file's size: MB to one decimal, or kB below a megabyte (a small test limit read "0 MB"). */
const size = (bytes: number) => (bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`);
/** A limit in whole units, as the server's settings are written. */
const limit = (bytes: number) => (bytes >= MIB ? `${Math.round(bytes / MIB)} MB` : `${Math.floor(bytes / 1024)} kB`);

/** Checks that need no bytes: the size from the scan, and the page count when the scan found it. */
export function checkLimits(
  file: { sizeBytes: number; pages: number | null },
  limits: PreflightLimits,
): PreflightProblem | null {
  if (limits.maxBytes !== null && file.sizeBytes > limits.maxBytes)
    return {
      code: 'too_large',
      reason: `${size(file.sizeBytes)}; the server accepts up to ${limit(limits.maxBytes)}. Split or compress the PDF.`,
    };
  if (file.pages !== null) return checkPageCount(file.pages, limits);
  return null;
}

export function checkPageCount(pages: number, limits: PreflightLimits): PreflightProblem | null {
  if (limits.maxPages !== null && pages > limits.maxPages)
    return {
      code: 'too_many_pages',
      reason: `${pages} pages; the server accepts up to ${limits.maxPages}. Split it into one document per credential.`,
    };
  if (pages < 1) return { code: 'damaged', reason: 'The PDF has no pages. Re-export or re-scan it.' };
  return null;
}

/** pdf.js's reasons for not opening a file, in a coordinator's words. */
export function problemForOpenError(err: unknown): PreflightProblem {
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException')
    return {
      code: 'encrypted',
      reason: 'A password is needed to open it. Save or print it to PDF without security, then scan again.',
    };
  return {
    code: 'damaged',
    reason: 'It is truncated or corrupt and cannot be read. Re-download or re-export it.',
  };
}

/**
 * A page has something to read when its text layer has a non-blank string or it draws an image
 * (a scan, read by OCR on the server). A document with neither on every page is blank to the server.
 */
export function noContentProblem(pagesChecked: number): PreflightProblem {
  return {
    code: 'no_content',
    reason:
      pagesChecked === 1
        ? 'Its page has no text and no image: it looks blank.'
        : `None of its ${pagesChecked} pages has text or an image: it looks blank.`,
  };
}

export function timedOutProblem(seconds: number): PreflightProblem {
  return {
    code: 'timed_out',
    reason: `Could not be opened within ${seconds} s: the server would likely give up on it too. Re-export it.`,
  };
}

/** Short labels for the preview's status column. */
export const PREFLIGHT_LABELS: Record<PreflightCode, string> = {
  too_large: 'Too large',
  too_many_pages: 'Too many pages',
  encrypted: 'Encrypted',
  damaged: 'Damaged',
  no_content: 'Nothing to read',
  timed_out: 'Too slow to open',
  unreadable: 'Unreadable',
};

/** pdf.js's operators that draw an image; each side passes its build's OPS table. */
const IMAGE_OP_NAMES = [
  'paintImageXObject',
  'paintInlineImageXObject',
  'paintInlineImageXObjectGroup',
  'paintImageXObjectRepeat',
  'paintImageMaskXObject',
  'paintImageMaskXObjectGroup',
  'paintImageMaskXObjectRepeat',
  'paintSolidColorImageMask',
] as const;

export type PdfImageOps = Record<(typeof IMAGE_OP_NAMES)[number], number>;

export function imageOpCodes(ops: PdfImageOps): ReadonlySet<number> {
  return new Set(IMAGE_OP_NAMES.map((name) => ops[name]));
}

/** The part of pdf.js's document the checks read (either build's PDFDocumentProxy has it). */
export interface PreflightDocument {
  numPages: number;
  getPage(n: number): Promise<{
    getTextContent(): Promise<{ items: readonly object[] }>;
    getOperatorList(): Promise<{ fnArray: readonly number[] }>;
    cleanup(): unknown;
  }>;
}

async function pageHasContent(doc: PreflightDocument, n: number, images: ReadonlySet<number>): Promise<boolean> {
  const page = await doc.getPage(n);
  try {
    const text = await page.getTextContent();
    if (text.items.some((item) => 'str' in item && typeof item.str === 'string' && item.str.trim() !== '')) return true;
    const ops = await page.getOperatorList();
    return ops.fnArray.some((op) => images.has(op));
  } finally {
    page.cleanup();
  }
}

/**
 * The checks on a document pdf.js has opened: its page count against the limit, then its pages
 * (up to the limit) until one has text or an image. A page that cannot be read means the server's
 * extraction would fail too (damaged). When `signal` aborts, this stops and rethrows.
 */
export async function inspectOpenedPdf(
  doc: PreflightDocument,
  limits: PreflightLimits,
  images: ReadonlySet<number>,
  signal?: AbortSignal,
): Promise<PreflightResult> {
  try {
    const pages = checkPageCount(doc.numPages, limits);
    if (pages) return { ok: false, problem: pages };
    const lookAt = Math.min(doc.numPages, limits.maxPages ?? MAX_PAGES_LOOKED_AT);
    for (let n = 1; n <= lookAt; n++) {
      signal?.throwIfAborted();
      if (await pageHasContent(doc, n, images)) return { ok: true };
    }
    return { ok: false, problem: noContentProblem(lookAt) };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ok: false, problem: problemForOpenError(err) };
  }
}
