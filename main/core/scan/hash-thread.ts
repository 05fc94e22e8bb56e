/**
 * The body of the hashing thread (see hash-file.ts): reads each file with synchronous calls in
 * 1 MiB chunks into one reused buffer, hashes it and counts its pages. Synchronous on purpose:
 * this thread does nothing else, and each async call would cost a thread-pool round trip.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { PdfPageSniffer } from './pdf-sniffer';
import { hasPdfMagic } from './read-magic';

export interface HashRequest {
  id: number;
  path: string;
  countPages: boolean;
  pdfOnly: boolean;
  /** Set to 1 by the caller to stop this file (checked between chunks). */
  cancel: Int32Array;
}

export type HashReply =
  | { id: number; type: 'bytes'; n: number }
  | { id: number; type: 'done'; digest: { sha256: string; pages: number | null; bytes: number } | null }
  | { id: number; type: 'error'; error: { name: string; message: string; code?: string } }
  | { id: number; type: 'cancelled' };

const CHUNK = 1 << 20;
/** Progress is reported every few chunks, not every chunk: one message per 8 MiB. */
const REPORT_EVERY = 8 * CHUNK;
const buf = Buffer.allocUnsafe(CHUNK);
const port = parentPort;
if (!port) throw new Error('hash-thread.ts runs as a worker thread');

function hash(req: HashRequest): HashReply {
  const sha = createHash('sha256');
  const sniffer = req.countPages ? new PdfPageSniffer() : null;
  let bytes = 0;
  let unreported = 0;
  const fd = openSync(req.path, 'r');
  try {
    for (;;) {
      if (Atomics.load(req.cancel, 0) === 1) return { id: req.id, type: 'cancelled' };
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      if (bytes === 0 && req.pdfOnly && !hasPdfMagic(chunk)) return { id: req.id, type: 'done', digest: null };
      sha.update(chunk);
      sniffer?.push(chunk);
      bytes += n;
      unreported += n;
      if (unreported >= REPORT_EVERY) {
        port?.postMessage({ id: req.id, type: 'bytes', n: unreported } satisfies HashReply);
        unreported = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
  if (unreported > 0) port?.postMessage({ id: req.id, type: 'bytes', n: unreported } satisfies HashReply);
  if (bytes === 0 && req.pdfOnly) return { id: req.id, type: 'done', digest: null };
  return { id: req.id, type: 'done', digest: { sha256: sha.digest('hex'), pages: sniffer?.pageCount() ?? null, bytes } };
}

port.on('message', (req: HashRequest) => {
  let reply: HashReply;
  try {
    reply = hash(req);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    reply = { id: req.id, type: 'error', error: { name: e.name ?? 'Error', message: e.message ?? String(err), ...(e.code ? { code: e.code } : {}) } };
  }
  port.postMessage(reply);
});
