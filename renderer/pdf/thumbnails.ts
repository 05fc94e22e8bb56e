/**
 * First-page thumbnails for the import list: at most two renders at a time (a 2,000-file scan
 * must not flood the pdf.js worker), cached as data URLs by file id.
 */
import { openPdf, renderPageToCanvas } from './pdf-document';
import { leasePreviewWorker } from './preview-worker';
import { limitParallel } from './limit-parallel';

const THUMB_WIDTH = 64;
const MAX_CACHED = 3000;
const MAX_PARALLEL = 2;
const slot = limitParallel(MAX_PARALLEL);

const cache = new Map<string, Promise<string | null>>();

async function render(readBytes: () => Promise<Uint8Array>): Promise<string | null> {
  return slot(async () => {
    const bytes = await readBytes();
    const lease = leasePreviewWorker();
    const task = openPdf(bytes, lease.worker);
    // A file pdf.js cannot open still has its document to end in the worker.
    const pdf = await task.promise.catch(async (err: unknown) => {
      await task.destroy().catch(() => undefined);
      lease.release();
      throw err;
    });
    try {
      const page = await pdf.getPage(1);
      const canvas = document.createElement('canvas');
      await renderPageToCanvas(page, canvas, THUMB_WIDTH);
      return canvas.toDataURL('image/png');
    } finally {
      await pdf.destroy();
      lease.release();
    }
  }).catch(() => null);
}

/** A data URL of the file's first page, or null when pdf.js cannot draw it. */
export function thumbnailFor(key: string, readBytes: () => Promise<Uint8Array>): Promise<string | null> {
  let entry = cache.get(key);
  if (!entry) {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    entry = render(readBytes);
    cache.set(key, entry);
  }
  return entry;
}
