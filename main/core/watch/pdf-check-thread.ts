/**
 * The body of a PDF check thread (see pdf-check.ts): opens one settled PDF with pdf.js and says
 * whether the server could read it. In a thread of its own so a hostile file that keeps pdf.js
 * busy, or eats memory, can be ended from outside without stopping the watch or the uploads.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { loadPdfJsNode, untrustedPdfOptions } from '../../../node-shared/pdfjs-node';

export interface PdfCheckRequest {
  path: string;
  /** The server's page limit when known; also how many pages are looked at for content. */
  maxPages: number | null;
}

export type PdfCheckProblemCode = 'encrypted' | 'damaged' | 'no_content' | 'too_many_pages';
export type PdfCheckReply = { ok: true } | { ok: false; code: PdfCheckProblemCode; pages?: number };

/** Pages looked at for text or images when no limit says otherwise (credentials are short). */
const MAX_PAGES_LOOKED_AT = 100;

type PdfJs = Awaited<ReturnType<typeof loadPdfJsNode>>;
type Doc = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

function imageOps(pdfjs: PdfJs): ReadonlySet<number> {
  const { OPS } = pdfjs;
  return new Set([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintInlineImageXObjectGroup,
    OPS.paintImageXObjectRepeat,
    OPS.paintImageMaskXObject,
    OPS.paintImageMaskXObjectGroup,
    OPS.paintImageMaskXObjectRepeat,
    OPS.paintSolidColorImageMask,
  ]);
}

/** Text in its text layer, or an image drawn (a scan, which the server reads by OCR). */
async function pageHasContent(doc: Doc, n: number, images: ReadonlySet<number>): Promise<boolean> {
  const page = await doc.getPage(n);
  try {
    const text = await page.getTextContent();
    if (text.items.some((item) => 'str' in item && item.str.trim() !== '')) return true;
    const ops = await page.getOperatorList();
    return ops.fnArray.some((op) => images.has(op));
  } finally {
    page.cleanup();
  }
}

/**
 * The file's bytes for pdf.js without a second copy: a view over the Buffer readFile made, not
 * `new Uint8Array(buffer)` (which copies). pdf.js refuses a Buffer and copies a view that does not
 * cover its whole ArrayBuffer (a small file's Buffer may sit in Node's shared pool): only then is
 * it copied here, once, so pdf.js takes the bytes as they are.
 */
export async function readPdfBytes(path: string): Promise<Uint8Array> {
  const buffer = await readFile(path);
  const view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return view.byteLength === view.buffer.byteLength ? view : view.slice();
}

export async function checkPdf(req: PdfCheckRequest): Promise<PdfCheckReply> {
  const pdfjs = await loadPdfJsNode();
  const bytes = await readPdfBytes(req.path);
  const task = pdfjs.getDocument(untrustedPdfOptions(bytes));
  let doc: Doc;
  try {
    doc = await task.promise;
  } catch (err) {
    // PasswordException: encrypted; InvalidPDFException or any other failure to open: damaged.
    return { ok: false, code: err instanceof Error && err.name === 'PasswordException' ? 'encrypted' : 'damaged' };
  }
  try {
    if (doc.numPages < 1) return { ok: false, code: 'damaged' };
    if (req.maxPages !== null && doc.numPages > req.maxPages)
      return { ok: false, code: 'too_many_pages', pages: doc.numPages };
    const lookAt = Math.min(doc.numPages, req.maxPages ?? MAX_PAGES_LOOKED_AT);
    const images = imageOps(pdfjs);
    for (let n = 1; n <= lookAt; n++) if (await pageHasContent(doc, n, images)) return { ok: true };
    return { ok: false, code: 'no_content', pages: lookAt };
  } catch {
    // It opened but a page cannot be read: the server's extraction would fail on it too.
    return { ok: false, code: 'damaged' };
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

// Loaded before the first file, so that file's deadline does not count the start (pdf-check.ts).
void loadPdfJsNode().then(() => parentPort?.postMessage({ ready: true }));

parentPort?.on('message', (req: PdfCheckRequest) => {
  checkPdf(req).then(
    (reply) => parentPort?.postMessage(reply),
    // Reading the file failed (gone, unreadable): said as such by the caller.
    (err: unknown) => parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
});
