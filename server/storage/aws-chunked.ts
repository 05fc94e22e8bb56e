/**
 * The `aws-chunked` content encoding, which current S3 clients use for a streamed body (the AWS SDKs
 * and aws-cli send `x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER` with a trailing
 * checksum by default): `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` per chunk, a zero-size
 * chunk, then optional trailer lines (`x-amz-checksum-crc32:<base64>`) and an empty line. s3rver
 * knows nothing of it and stored the encoded body as the object. Chunk and trailer signatures are
 * not checked, as no body is checked against its signed hash here (sigv4-verify.ts); a trailing
 * CRC32, SHA-1 or SHA-256 is (CRC32C and CRC64NVME have no implementation in Node: accepted unchecked).
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';

/** A body that is not valid aws-chunked encoding, or fails its trailing checksum; `code` is S3's. */
export class ChunkedBodyError extends Error {
  constructor(
    readonly code: 'IncompleteBody' | 'InvalidRequest' | 'BadDigest',
    message: string,
  ) {
    super(message);
    this.name = 'ChunkedBodyError';
  }
}

/** Chunk-size and trailer lines are short; a longer one is not this encoding. */
const MAX_LINE_BYTES = 4096;
const CRLF = Buffer.from('\r\n');

/** Whether the request's body is aws-chunked. */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  return (
    /aws-chunked/i.test(String(headers['content-encoding'] ?? '')) ||
    /^STREAMING-/.test(String(headers['x-amz-content-sha256'] ?? ''))
  );
}

/** The Content-Encoding to keep with the object: S3 drops `aws-chunked` from it. */
export function storedContentEncoding(value: string | undefined): string | undefined {
  const kept = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s.toLowerCase() !== 'aws-chunked');
  return kept.length ? kept.join(', ') : undefined;
}

/** A running hash of the decoded bytes for a trailer's checksum, or null when not checkable here. */
function checksumOf(name: string): { update(b: Buffer): void; base64(): string } | null {
  if (name === 'x-amz-checksum-crc32') {
    let crc = 0;
    return {
      update: (b) => (crc = zlib.crc32(b, crc)),
      base64: () => Buffer.from([crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255]).toString('base64'),
    };
  }
  const algorithm = { 'x-amz-checksum-sha1': 'sha1', 'x-amz-checksum-sha256': 'sha256' }[name];
  if (!algorithm) return null;
  const hash = crypto.createHash(algorithm);
  return { update: (b) => hash.update(b), base64: () => hash.digest('base64') };
}

/**
 * The decoded bytes of an aws-chunked body, as they arrive. Throws ChunkedBodyError on a malformed
 * or cut-short body, a decoded length other than `decodedLength` (x-amz-decoded-content-length), or
 * a trailing checksum that does not match (the checksum named by `trailer`, x-amz-trailer).
 */
export async function* decodeAwsChunked(
  body: AsyncIterable<Buffer>,
  opts: { decodedLength?: number; trailer?: string },
): AsyncGenerator<Buffer> {
  const checksum = opts.trailer ? checksumOf(opts.trailer.toLowerCase()) : null;
  let pending: Buffer = Buffer.alloc(0);
  let dataLeft = 0; // bytes of the current chunk still to come
  let state = 'size' as 'size' | 'data' | 'crlf' | 'trailer' | 'done';
  let decoded = 0;
  const trailers = new Map<string, string>();
  const line = (): string | null => {
    const end = pending.indexOf(CRLF);
    if (end < 0) {
      if (pending.length > MAX_LINE_BYTES) throw new ChunkedBodyError('InvalidRequest', 'A chunk header is too long.');
      return null;
    }
    const text = pending.subarray(0, end).toString('latin1');
    pending = pending.subarray(end + 2);
    return text;
  };
  for await (const chunk of body) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (state === 'data') {
        if (!pending.length) break;
        const take = pending.subarray(0, Math.min(dataLeft, pending.length));
        pending = pending.subarray(take.length);
        dataLeft -= take.length;
        decoded += take.length;
        // Early: a small declared length is buffered whole (embedded-put.ts storeSmallObject).
        if (opts.decodedLength !== undefined && decoded > opts.decodedLength)
          throw new ChunkedBodyError('InvalidRequest', 'The body is longer than its x-amz-decoded-content-length.');
        checksum?.update(take);
        yield take;
        if (dataLeft === 0) state = 'crlf';
      } else if (state === 'crlf') {
        if (pending.length < 2) break;
        if (!pending.subarray(0, 2).equals(CRLF))
          throw new ChunkedBodyError('InvalidRequest', 'A chunk is longer than its declared size.');
        pending = pending.subarray(2);
        state = 'size';
      } else if (state === 'size') {
        const text = line();
        if (text === null) break;
        const size = text.split(';')[0]!.trim();
        if (!/^[0-9a-fA-F]{1,12}$/.test(size))
          throw new ChunkedBodyError('InvalidRequest', 'A chunk size is not hexadecimal.');
        dataLeft = parseInt(size, 16);
        state = dataLeft === 0 ? 'trailer' : 'data';
      } else if (state === 'trailer') {
        const text = line();
        if (text === null) break;
        if (text === '') state = 'done';
        else {
          const colon = text.indexOf(':');
          if (colon > 0) trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
        }
      } else {
        pending = Buffer.alloc(0); // done: anything after the last line is ignored, as S3 does
        break;
      }
    }
  }
  // A body may end right after the zero-size chunk's line (the AWS SDK's, when it sends no checksum).
  if (state !== 'done' && state !== 'trailer')
    throw new ChunkedBodyError('IncompleteBody', 'The body ended before its last chunk.');
  if (opts.decodedLength !== undefined && decoded !== opts.decodedLength)
    throw new ChunkedBodyError(
      'IncompleteBody',
      `The body decoded to ${decoded} bytes, not the ${opts.decodedLength} of x-amz-decoded-content-length.`,
    );
  if (!opts.trailer) return;
  const sent = trailers.get(opts.trailer.toLowerCase());
  if (sent === undefined) throw new ChunkedBodyError('IncompleteBody', `The body's trailer has no ${opts.trailer}.`);
  if (checksum && sent !== checksum.base64())
    throw new ChunkedBodyError('BadDigest', `The body does not match its ${opts.trailer}.`);
}
