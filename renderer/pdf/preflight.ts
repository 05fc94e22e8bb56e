/**
 * Preflight for the import preview: each PDF opened locally with pdf.js (in the preview's worker
 * thread, so the window stays responsive) and checked the way the server will check it, before anything
 * is uploaded. Bounded: at most two files at a time, each given up after PREFLIGHT_SECONDS (its
 * pdf.js worker destroyed), files over the server's size limit never read, and pages looked at
 * only until one has something to read.
 */
import { OPS, type PDFWorker } from 'pdfjs-dist';
import { toBridgeError } from '../bridge/bridge-error';
import { openPdf, type PDFDocumentProxy } from './pdf-document';
import { leasePreviewWorker } from './preview-worker';
import {
  checkLimits,
  imageOpCodes,
  inspectOpenedPdf,
  problemForOpenError,
  timedOutProblem,
  type PreflightLimits,
  type PreflightResult,
} from '../../common/pdf-preflight';
import { limitParallel } from './limit-parallel';

export const PREFLIGHT_SECONDS = 30;
const MAX_PARALLEL = 2;
const slot = limitParallel(MAX_PARALLEL);
const IMAGE_OPS = imageOpCodes(OPS);

async function inspect(
  bytes: Uint8Array,
  limits: PreflightLimits,
  signal: AbortSignal,
  worker: PDFWorker,
): Promise<PreflightResult> {
  const task = openPdf(bytes, worker);
  signal.addEventListener('abort', () => void task.destroy().catch(() => undefined), { once: true });
  let pdf: PDFDocumentProxy;
  try {
    pdf = await task.promise;
  } catch (err) {
    // Its worker is ended either way, so a refused file holds no memory.
    await task.destroy().catch(() => undefined);
    if (signal.aborted) throw err;
    return { ok: false, problem: problemForOpenError(err) };
  }
  try {
    // The same checks the watched folders make in Node (common/pdf-preflight.ts).
    return await inspectOpenedPdf(pdf, limits, IMAGE_OPS, signal);
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

/**
 * Checks one scanned PDF against the server's limits and for encryption, damage and blankness.
 * `readBytes` is called only when the size is within the limit.
 */
export function preflightPdf(
  file: { sizeBytes: number; pages: number | null },
  limits: PreflightLimits,
  readBytes: () => Promise<Uint8Array>,
): Promise<PreflightResult> {
  const known = checkLimits(file, limits);
  if (known) return Promise.resolve({ ok: false, problem: known });
  return slot(async () => {
    let bytes: Uint8Array;
    try {
      bytes = await readBytes();
    } catch (err) {
      // The preview reads whole files into memory up to a cap; bigger ones are left to the server.
      const failure = toBridgeError(err);
      if (failure.kind === 'too_large') return { ok: true, note: 'Too large to check here' };
      return { ok: false, problem: { code: 'unreadable', reason: failure.message } };
    }
    const controller = new AbortController();
    const lease = leasePreviewWorker();
    const timer = setTimeout(() => {
      lease.retire();
      controller.abort();
    }, PREFLIGHT_SECONDS * 1000);
    // Raced, not awaited alone: a thread stuck on a hostile file never answers, and the slot must free.
    const timedOut = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(new Error('timed out')), { once: true }),
    );
    try {
      return await Promise.race([inspect(bytes, limits, controller.signal, lease.worker), timedOut]);
    } catch (err) {
      // Only the timer's abort is a timeout; any other failure says what it was.
      if (controller.signal.aborted) return { ok: false, problem: timedOutProblem(PREFLIGHT_SECONDS) };
      return { ok: false, problem: problemForOpenError(err) };
    } finally {
      clearTimeout(timer);
      lease.release();
    }
  });
}
