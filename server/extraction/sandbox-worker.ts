/**
 * Body of the extraction worker thread: runs one document at a time through the pipeline
 * and answers on the parent port. The thread (and its tesseract worker) lives across
 * documents; the parent replaces it after a timeout, a crash or an out-of-memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ExtractionOutcome } from '../../common/extraction';
import { extractPdf, type ExtractOptions } from './index';
import { loadPdfJs } from './load';
import { disposeOcr } from './ocr';

export interface SandboxRequest {
  id: number;
  bytes: Uint8Array;
}

export type SandboxMessage = { type: 'ready' } | { type: 'result'; id: number; outcome: ExtractionOutcome };

const port = parentPort;
if (!port) throw new Error('sandbox-worker must run in a worker thread');
const options = (workerData ?? {}) as ExtractOptions;

port.on('message', (msg: SandboxRequest | { type: 'close' }) => {
  if ('type' in msg) {
    void disposeOcr().finally(() => port.close());
    return;
  }
  void extractPdf(msg.bytes, options)
    .catch((): ExtractionOutcome => ({ error: { code: 'crashed', message: 'The extractor failed unexpectedly on this document.' } }))
    .then((outcome) => port.postMessage({ type: 'result', id: msg.id, outcome } satisfies SandboxMessage));
});

// Load pdf.js before announcing readiness, so a document's deadline does not pay for start-up.
void loadPdfJs().then(() => port.postMessage({ type: 'ready' } satisfies SandboxMessage));
