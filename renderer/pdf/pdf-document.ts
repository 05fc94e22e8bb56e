/**
 * pdf.js in the renderer (never in main): the worker is a Vite asset, eval stays off (the CSP
 * forbids it), and the standard fonts come from the app's own files (copied by the Vite config).
 */
import {
  GlobalWorkerOptions,
  getDocument,
  type PDFDocumentLoadingTask,
  type PDFDocumentProxy,
  type PDFPageProxy,
  type PDFWorker,
} from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

export type { PDFDocumentProxy, PDFPageProxy };

/** The loading task itself, for callers that may give up on it (destroy ends its worker's work). */
export function openPdf(bytes: Uint8Array, worker?: PDFWorker): PDFDocumentLoadingTask {
  return getDocument({
    // A shared worker outlives the document (destroying the task ends only its document there).
    ...(worker ? { worker } : {}),
    // pdf.js transfers the buffer to its worker; a copy keeps the caller's bytes usable.
    data: bytes.slice(),
    isEvalSupported: false,
    standardFontDataUrl: new URL('pdfjs/standard_fonts/', document.baseURI).href,
    enableXfa: false,
  });
}

export function loadPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  return openPdf(bytes).promise;
}

/** Draws `page` into `canvas` at `cssWidth` pixels wide, sharp on high-density screens. */
export async function renderPageToCanvas(
  page: PDFPageProxy,
  canvas: HTMLCanvasElement,
  cssWidth: number,
): Promise<{ cssWidth: number; cssHeight: number }> {
  const base = page.getViewport({ scale: 1 });
  const scale = cssWidth / base.width;
  const ratio = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: scale * ratio });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  const cssHeight = base.height * scale;
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  await page.render({ canvas, viewport }).promise;
  return { cssWidth, cssHeight };
}
