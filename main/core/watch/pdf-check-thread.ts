/**
 * The body of a PDF check thread (see pdf-check.ts): opens one settled PDF with pdf.js and says
 * whether the server could read it. In a thread of its own so a hostile file that keeps pdf.js
 * busy, or eats memory, can be ended from outside without stopping the watch or the uploads.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import {
  imageOpCodes,
  inspectOpenedPdf,
  problemForOpenError,
  type PreflightResult,
} from '../../../common/pdf-preflight';
import { loadPdfJsNode, untrustedPdfOptions } from '../../../node-shared/pdfjs-node';

export interface PdfCheckRequest {
  path: string;
  /** The server's page limit when known; also how many pages are looked at for content. */
  maxPages: number | null;
}

/** The import preview's answer for the same file (common/pdf-preflight.ts). */
export type PdfCheckReply = PreflightResult;

type Doc = Awaited<ReturnType<Awaited<ReturnType<typeof loadPdfJsNode>>['getDocument']>['promise']>;

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
    return { ok: false, problem: problemForOpenError(err) };
  }
  try {
    // The size was checked against the server's limit before the file came here (watch-queue.ts).
    return await inspectOpenedPdf(doc, { maxBytes: null, maxPages: req.maxPages }, imageOpCodes(pdfjs.OPS));
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
