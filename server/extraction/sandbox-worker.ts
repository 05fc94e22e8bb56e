/**
 * Body of the extraction worker thread: runs one document at a time through the pipeline
 * and answers on the parent port. The thread (and its tesseract worker) lives across
 * documents; the parent replaces it after a timeout, a crash or an out-of-memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractDocument, type ExtractedDocument, type ExtractOptions } from './index';
import { loadPdfJs } from './load';
import { disposeOcr } from './ocr';

export interface SandboxRequest {
  id: number;
  bytes: Uint8Array;
}

export type SandboxMessage = { type: 'ready' } | ({ type: 'result'; id: number } & ExtractedDocument);

const port = parentPort;
if (!port) throw new Error('sandbox-worker must run in a worker thread');
const options = (workerData ?? {}) as ExtractOptions;

port.on('message', (msg: SandboxRequest | { type: 'close' }) => {
  if ('type' in msg) {
    void disposeOcr().finally(() => port.close());
    return;
  }
  void extractDocument(msg.bytes, options)
    .catch((): ExtractedDocument => ({
      outcome: { error: { code: 'crashed', message: 'The extractor failed unexpectedly on this document.' } },
      text: null,
    }))
    .then((read) => port.postMessage({ type: 'result', id: msg.id, ...read } satisfies SandboxMessage));
});

// Load pdf.js before announcing readiness, so a document's deadline does not pay for start-up.
void loadPdfJs().then(() => port.postMessage({ type: 'ready' } satisfies SandboxMessage));
