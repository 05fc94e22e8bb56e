/**
 * pdf.js in plain Node (legacy build: no DOM, no eval, no network, fonts from the package), for
 * whatever opens PDFs outside a browser. The server's extraction loads it the same way
 * (server/extraction/load.ts); the desktop and the command line use this for the watched-folder
 * preflight (main/core/watch/pdf-check-thread.ts), since main/core must not import server/.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

// Not named `require`: electron-vite's ESM output declares its own `require` shim in the same scope.
const cjsRequire = createRequire(import.meta.url);

type PdfJs = typeof PdfJsModule;
let pdfjsModule: Promise<PdfJs> | undefined;

export function loadPdfJsNode(): Promise<PdfJs> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

/** getDocument's options for untrusted bytes: nothing evaluated, fetched or installed. */
export function untrustedPdfOptions(data: Uint8Array) {
  const root = path.dirname(cjsRequire.resolve('pdfjs-dist/package.json'));
  // pdf.js wants directory URLs with a trailing slash.
  const dirUrl = (name: string) => pathToFileURL(path.join(root, name) + path.sep).href;
  return {
    data,
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl: dirUrl('standard_fonts'),
    cMapUrl: dirUrl('cmaps'),
    cMapPacked: true,
    stopAtErrors: false,
    verbosity: 0,
    enableXfa: false,
  };
}
