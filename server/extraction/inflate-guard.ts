/**
 * Decompression-bomb guard: before pdf.js parses anything, every FlateDecode stream is
 * inflated into a counter (output discarded) and the document is refused when one stream or
 * all of them together would expand beyond a cap. pdf.js grows its decode buffers by
 * doubling, outside the V8 heap limit, so a bomb must be stopped before it is parsed.
 */
import { createInflate } from 'node:zlib';

export const MAX_STREAM_BYTES = 150 * 1024 * 1024;
export const MAX_TOTAL_INFLATED_BYTES = 400 * 1024 * 1024;

export interface InflateVerdict {
  ok: boolean;
  largestStream: number;
  total: number;
}

export async function checkInflatedSizes(
  bytes: Uint8Array,
  maxStream = MAX_STREAM_BYTES,
  maxTotal = MAX_TOTAL_INFLATED_BYTES,
): Promise<InflateVerdict> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let total = 0;
  let largestStream = 0;
  for (const span of flateStreams(buf)) {
    const size = await inflatedSize(buf.subarray(span.start, span.end), Math.min(maxStream, maxTotal - total) + 1);
    largestStream = Math.max(largestStream, size);
    total += size;
    if (size > maxStream || total > maxTotal) return { ok: false, largestStream, total };
  }
  return { ok: true, largestStream, total };
}

/** Byte ranges of stream bodies whose dictionary names FlateDecode (found lexically, xref not needed). */
export function* flateStreams(buf: Buffer): Generator<{ start: number; end: number }> {
  let at = 0;
  for (;;) {
    const idx = buf.indexOf('stream', at, 'latin1');
    if (idx < 0) return;
    at = idx + 6;
    if (idx >= 3 && buf.toString('latin1', idx - 3, idx) === 'end') continue;
    const dictStart = Math.max(0, idx - 2048);
    const before = buf.toString('latin1', dictStart, idx);
    const objAt = before.lastIndexOf('obj');
    const dict = objAt >= 0 ? before.slice(objAt) : before;
    if (!/\/(FlateDecode|Fl)\b/.test(dict)) continue;
    let start = idx + 6;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    const endIdx = buf.indexOf('endstream', start, 'latin1');
    const end = endIdx < 0 ? buf.length : endIdx;
    at = end;
    yield { start, end };
  }
}

/** Inflated length of one stream, counting at most `cap` bytes; damaged streams count what inflated. */
function inflatedSize(data: Buffer, cap: number): Promise<number> {
  return new Promise((resolve) => {
    const inflate = createInflate({ chunkSize: 256 * 1024 });
    let size = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inflate.destroy();
      resolve(size);
    };
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size >= cap) finish();
    });
    inflate.on('end', finish);
    inflate.on('error', finish);
    inflate.end(data);
  });
}
