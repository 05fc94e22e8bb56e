/**
 * The body of a file I/O thread (see file-io-client.ts): hashes files, reads parts and stats
 * files in batches with synchronous calls. Synchronous on purpose: the thread does nothing else, and on the main thread
 * each async call costs a thread-pool round trip (open, stat, read, close: four per part).
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { PdfPageSniffer } from '../scan/pdf-sniffer';
import { hasPdfMagic } from '../scan/read-magic';

export type FileIoRequest =
  | {
      op: 'hash';
      id: number;
      path: string;
      countPages: boolean;
      pdfOnly: boolean;
      /** Set to 1 by the caller to stop this file (checked between chunks). */
      cancel: Int32Array;
    }
  | {
      op: 'read';
      id: number;
      path: string;
      offset: number;
      size: number;
      /** Checked after the read: a write before or during it shows in the size or mtime. */
      expect: { sizeBytes: number; mtimeMs: number };
      /** The shared buffer to fill: its memory comes with its first use only, then its id alone. */
      slot: number;
      memory?: SharedArrayBuffer;
    }
  | { op: 'forget'; slot: number }
  /** stat() (following links) of each path, answered in one message (stat-batch.ts). */
  | { op: 'stat'; id: number; paths: string[] };

/** One path's stat, or why it has none (the error's code: ENOENT, EACCES...). */
export type FileStat =
  | { ok: true; kind: 'file' | 'dir' | 'other'; size: number; mtimeMs: number; dev: number; ino: number }
  | { ok: false; error: { name: string; message: string; code?: string } };

export type FileIoReply =
  | { id: number; type: 'bytes'; n: number }
  | { id: number; type: 'hashed'; digest: { sha256: string; pages: number | null; bytes: number } | null }
  | { id: number; type: 'read' }
  | { id: number; type: 'changed'; message: string }
  | { id: number; type: 'error'; error: { name: string; message: string; code?: string } }
  | { id: number; type: 'cancelled' }
  | { id: number; type: 'stats'; stats: FileStat[] };

const CHUNK = 1 << 20;
/** Hashing progress is reported every few chunks, not every chunk: one message per 8 MiB. */
const REPORT_EVERY = 8 * CHUNK;
const chunkBuf = Buffer.allocUnsafe(CHUNK);
/** The part buffers this thread has been given, by slot id. */
const slots = new Map<number, Buffer>();
const port = parentPort;
if (!port) throw new Error('file-io-thread.ts runs as a worker thread');

function hash(req: Extract<FileIoRequest, { op: 'hash' }>): FileIoReply {
  const sha = createHash('sha256');
  const sniffer = req.countPages ? new PdfPageSniffer() : null;
  let bytes = 0;
  let unreported = 0;
  const fd = openSync(req.path, 'r');
  try {
    for (;;) {
      if (Atomics.load(req.cancel, 0) === 1) return { id: req.id, type: 'cancelled' };
      const n = readSync(fd, chunkBuf, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = chunkBuf.subarray(0, n);
      if (bytes === 0 && req.pdfOnly && !hasPdfMagic(chunk)) return { id: req.id, type: 'hashed', digest: null };
      sha.update(chunk);
      sniffer?.push(chunk);
      bytes += n;
      unreported += n;
      if (unreported >= REPORT_EVERY) {
        port?.postMessage({ id: req.id, type: 'bytes', n: unreported } satisfies FileIoReply);
        unreported = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
  if (unreported > 0) port?.postMessage({ id: req.id, type: 'bytes', n: unreported } satisfies FileIoReply);
  if (bytes === 0 && req.pdfOnly) return { id: req.id, type: 'hashed', digest: null };
  return {
    id: req.id,
    type: 'hashed',
    digest: { sha256: sha.digest('hex'), pages: sniffer?.pageCount() ?? null, bytes },
  };
}

function read(req: Extract<FileIoRequest, { op: 'read' }>): FileIoReply {
  if (req.memory) slots.set(req.slot, Buffer.from(req.memory));
  const buf = slots.get(req.slot);
  if (!buf || buf.length < req.size)
    throw new Error(`The reading thread has no buffer ${req.slot} of ${req.size} bytes.`);
  const fd = openSync(req.path, 'r');
  try {
    for (let got = 0; got < req.size;) {
      const n = readSync(fd, buf, got, req.size - got, req.offset + got);
      if (n === 0)
        return {
          id: req.id,
          type: 'changed',
          message: 'The file is shorter than when it was queued. Retry to upload its current version.',
        };
      got += n;
    }
    const st = fstatSync(fd);
    if (st.size !== req.expect.sizeBytes || st.mtimeMs !== req.expect.mtimeMs) {
      return {
        id: req.id,
        type: 'changed',
        message:
          'The file changed on disk while it was being uploaded (size or modification time differ). Retry to upload its current version.',
      };
    }
  } finally {
    closeSync(fd);
  }
  return { id: req.id, type: 'read' };
}

function statOne(path: string): FileStat {
  try {
    const st = statSync(path);
    const kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
    return { ok: true, kind, size: st.size, mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return {
      ok: false,
      error: { name: e.name ?? 'Error', message: e.message ?? String(err), ...(e.code ? { code: e.code } : {}) },
    };
  }
}

port.on('message', (req: FileIoRequest) => {
  if (req.op === 'forget') return void slots.delete(req.slot);
  let reply: FileIoReply;
  try {
    if (req.op === 'stat') reply = { id: req.id, type: 'stats', stats: req.paths.map(statOne) };
    else reply = req.op === 'hash' ? hash(req) : read(req);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    reply = {
      id: req.id,
      type: 'error',
      error: { name: e.name ?? 'Error', message: e.message ?? String(err), ...(e.code ? { code: e.code } : {}) },
    };
  }
  port.postMessage(reply);
});
