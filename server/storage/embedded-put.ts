/**
 * The embedded store's write path for plain PutObject and UploadPart requests (from any client:
 * presigned URLs, the SDK, aws-cli, rclone), in s3rver's on-disk format so s3rver still serves
 * every read, list and multipart call. Why not s3rver's own: it writes each 16-64 KB socket chunk
 * with its own async fs call and every object with ~10 more (mkdirp, md5 file, metadata file), each
 * a thread-pool round trip. Here the body is hashed (the ETag) and written in ~1 MiB batches
 * (async: a write stalled by the disk must not stall every other request), small objects in one
 * write on a thread of their own (storeSmallObject), and an object's ETag and metadata go to the
 * object index (embedded-object-index.ts), not to sidecar files: its one new file is the object
 * itself (what it saved: docs/performance.md, "Server write path"). Also stricter than s3rver: a
 * body cut short or failing its Content-MD5 stores nothing (the object appears by rename only when
 * complete), and a part of an unknown upload is NoSuchUpload. An aws-chunked body (what current
 * SDKs send for a stream) is decoded (aws-chunked.ts). Anything else (copies, subresources like
 * ?acl) returns false: s3rver's.
 * An object's SHA-256 is taken beside its MD5 and kept in its index row with the stamp of the file
 * written, so the server's complete need not read the object again (embedded-store.ts sha256).
 * The server's own upload URLs ask for a SHA-256 ETag instead of the MD5 (sha256-etag.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { ChunkedBodyError, decodeAwsChunked, isAwsChunked, storedContentEncoding } from './aws-chunked';
import { fileStamp, type ContentHash, type ObjectIndex } from './embedded-object-index';
import { KnownDirs } from './known-dirs';
import { SHA256_ETAG_PARAM } from './sha256-etag';
import type { SmallObjectWriter } from './small-object-writer';

/** The part of s3rver's FilesystemStore used to place files exactly where s3rver looks. */
export interface StorePaths {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
}

/** Metadata s3rver keeps from a PutObject's headers (its S3Object.ALLOWED_METADATA). */
const KEPT_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-type',
  'expires',
  'x-amz-storage-class',
  'x-amz-website-redirect-location',
];
const WRITE_BATCH_BYTES = 1 << 20;
/** Objects up to this size are buffered and written in one go (storeSmallObject). */
const SMALL_BODY_BYTES = 256 << 10;
const knownDirs = new KnownDirs();
/** Query parameters of a plain PUT: the part's, and those of a presigned URL. */
const PLAIN_QUERY = new RegExp(`^(partNumber|uploadId|X-Amz-[A-Za-z0-9-]+|x-id|${SHA256_ETAG_PARAM})$`);

/** The hash a stored body's ETag is made of. */
type EtagHash = 'md5' | 'sha256';

/** The object metadata s3rver would keep from these request headers. */
export function keptMetadata(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const metadata: Record<string, string> = { 'content-type': 'binary/octet-stream' };
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && (KEPT_HEADERS.includes(name) || name.startsWith('x-amz-meta-')))
      metadata[name] = value;
  }
  const encoding = storedContentEncoding(metadata['content-encoding']);
  if (encoding) metadata['content-encoding'] = encoding;
  else delete metadata['content-encoding'];
  return metadata;
}

type Target = ({ kind: 'object'; key: string } | { kind: 'part'; uploadId: string; partNumber: number }) & {
  etagHash: EtagHash;
};

function targetOf(req: http.IncomingMessage, bucket: string): Target | null {
  if (req.method !== 'PUT' || req.headers['x-amz-copy-source']) return null;
  const url = new URL(req.url ?? '/', 'http://store');
  if (![...url.searchParams.keys()].every((k) => PLAIN_QUERY.test(k))) return null;
  if (!url.pathname.startsWith(`/${bucket}/`)) return null;
  let key: string;
  try {
    key = decodeURIComponent(url.pathname.slice(bucket.length + 2));
  } catch {
    return null;
  }
  // Keys that would not map to one file inside the bucket directory: left to s3rver's answer.
  if (!key || key.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) return null;
  const uploadId = url.searchParams.get('uploadId');
  const partNumber = url.searchParams.get('partNumber');
  const etagHash: EtagHash =
    url.searchParams.get(SHA256_ETAG_PARAM) === 'sha256' && req.headers['content-md5'] === undefined ? 'sha256' : 'md5';
  if (uploadId === null && partNumber === null) return { kind: 'object', key, etagHash };
  const n = Number(partNumber);
  if (uploadId === null || !/^[A-Za-z0-9_-]{1,128}$/.test(uploadId) || !Number.isInteger(n) || n < 1 || n > 10_000)
    return null;
  return { kind: 'part', uploadId, partNumber: n, etagHash };
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Messages may name request headers, whose names may hold `&` or `'`. */
const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);

/** An S3-style XML error answer. */
export function answerError(res: http.ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}

/** What a PUT stored: its ETag, and for an object the SHA-256 of its bytes with the file's stamp. */
interface Stored {
  etag: string;
  content?: ContentHash;
}

/** Where plain PUTs of the bucket go. */
export interface PutStore {
  bucket: string;
  paths: StorePaths;
  index: ObjectIndex;
  writer: SmallObjectWriter;
}

/** Handles the request and returns true when it is a plain PutObject or UploadPart of the store's bucket. */
export function handlePlainPut(req: http.IncomingMessage, res: http.ServerResponse, store: PutStore): boolean {
  const target = targetOf(req, store.bucket);
  if (!target) return false;
  storeBody(req, res, target, store).catch((err: unknown) => {
    // A malformed aws-chunked body, the client gone mid-body (nothing was stored), or the disk failed.
    if (res.headersSent || res.destroyed) return;
    if (err instanceof ChunkedBodyError) answerError(res, 400, err.code, err.message);
    else answerError(res, 500, 'InternalError', err instanceof Error ? err.message : String(err));
  });
  return true;
}

async function storeBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: Target,
  { bucket, paths, index, writer }: PutStore,
): Promise<void> {
  const { body, length } = bodyOf(req);
  if (target.kind === 'object') {
    const finalPath = paths.getResourcePath(bucket, target.key, 'object');
    const stored =
      Number.isInteger(length) && length <= SMALL_BODY_BYTES
        ? await storeSmallObject(req, body, res, finalPath, writer, target.etagHash)
        : await streamToFile(req, body, res, finalPath, (file) => knownDirs.createIn(file, () => fsp.open(file, 'w')), {
            etagHash: target.etagHash,
            hashContent: true,
          });
    // After the rename, in the same turn: a crash between the two leaves a new object without a
    // row, whose ETag then reads back as the MD5 of its bytes (what it is); never a row naming
    // bytes that were not stored. (A crash while a key is overwritten could leave the new bytes
    // under the old row: keys here are written once, and a completed upload's refuses any PUT.
    // Its SHA-256 is safe either way: it names the file's stamp, see embedded-object-index.ts.)
    if (stored) {
      index.put(bucket, target.key, stored.etag, keptMetadata(req.headers), stored.content);
      answerStored(res, stored.etag);
    }
    return;
  }
  const uploadDir = path.join(paths.getResourcePath(bucket, undefined, 'uploads'), target.uploadId);
  if (
    !(await fsp.stat(uploadDir).then(
      () => true,
      () => false,
    ))
  ) {
    req.resume();
    return answerError(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
  }
  const finalPath = path.join(uploadDir, String(target.partNumber));
  // A part goes only into its upload's existing directory: never recreate an aborted upload's.
  // No content hash of a part: the whole object's cannot be made from its parts' (complete reads
  // it). Its ETag is its MD5, or its SHA-256 on the server's own URLs.
  const stored = await streamToFile(req, body, res, finalPath, (file) => fsp.open(file, 'w'), {
    etagHash: target.etagHash,
    beforeRename: (etag) => fsp.writeFile(`${finalPath}.md5`, etag),
  });
  if (stored) answerStored(res, stored.etag);
}

/** The request's body as stored (an aws-chunked one decoded) and its length, if declared. */
function bodyOf(req: http.IncomingMessage): { body: AsyncIterable<Buffer>; length: number } {
  if (!isAwsChunked(req.headers)) return { body: req, length: Number(req.headers['content-length']) };
  const declared = req.headers['x-amz-decoded-content-length'];
  const decodedLength = declared === undefined ? undefined : Number(declared);
  const trailer = req.headers['x-amz-trailer'];
  return {
    body: decodeAwsChunked(req, { decodedLength, trailer: typeof trailer === 'string' ? trailer : undefined }),
    length: decodedLength ?? NaN,
  };
}

function answerStored(res: http.ServerResponse, etag: string): void {
  res.writeHead(200, { etag: `"${etag}"`, 'content-length': 0 });
  res.end();
}

/** The body's ETag, or null after answering BadDigest when it fails its Content-MD5. */
function checkedEtag(req: http.IncomingMessage, res: http.ServerResponse, digest: Buffer): string | null {
  const contentMd5 = req.headers['content-md5'];
  if (typeof contentMd5 === 'string' && contentMd5 !== digest.toString('base64')) {
    answerError(res, 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    return null;
  }
  return digest.toString('hex');
}

/** Not a name s3rver lists (objects end in `._S3rver_object`), so a half-written body is never seen. */
const tmpPathFor = (finalPath: string) => `${finalPath}.${crypto.randomBytes(6).toString('hex')}.tmp`;

/**
 * A small object (most documents): the whole body is read first, then written in one go by the
 * store's writer thread (small-object-writer.ts). A body cut short creates no file at all.
 */
async function storeSmallObject(
  req: http.IncomingMessage,
  body: AsyncIterable<Buffer>,
  res: http.ServerResponse,
  finalPath: string,
  writer: SmallObjectWriter,
  etagHash: EtagHash,
): Promise<Stored | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const etag = etagHash === 'sha256' ? sha256 : checkedEtag(req, res, crypto.createHash('md5').update(bytes).digest());
  if (etag === null) return null;
  const stamp = await writer.write(tmpPathFor(finalPath), finalPath, bytes);
  return { etag, content: { sha256, stamp } };
}

/**
 * A large body, streamed to a temporary file in ~1 MiB writes and renamed into place once whole and checked.
 * `hashContent`: also its SHA-256 and the file's stamp, for an object (not a part).
 */
async function streamToFile(
  req: http.IncomingMessage,
  body: AsyncIterable<Buffer>,
  res: http.ServerResponse,
  finalPath: string,
  open: (file: string) => Promise<fsp.FileHandle>,
  opts: { etagHash: EtagHash; beforeRename?: (etag: string) => Promise<void>; hashContent?: boolean },
): Promise<Stored | null> {
  const tmpPath = tmpPathFor(finalPath);
  const md5 = opts.etagHash === 'md5' ? crypto.createHash('md5') : null;
  const sha = opts.hashContent || opts.etagHash === 'sha256' ? crypto.createHash('sha256') : null;
  const file = await open(tmpPath);
  let stored = false;
  let stamp = '';
  try {
    try {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      // Reading the next chunk waits for the write: the socket, not memory, absorbs a slow disk.
      for await (const chunk of body) {
        md5?.update(chunk);
        sha?.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= WRITE_BATCH_BYTES) {
          await file.writev(pending);
          pending = [];
          pendingBytes = 0;
        }
      }
      if (pending.length) await file.writev(pending);
      // Of this handle's file: whatever the final path holds by the time the row is written. Sync:
      // ~2 µs from the inode in memory, where the async call is one more thread-pool round trip.
      if (opts.hashContent) stamp = fileStamp(fs.fstatSync(file.fd, { bigint: true }));
    } finally {
      await file.close();
    }
    const sha256 = sha?.digest('hex');
    const etag = md5 ? checkedEtag(req, res, md5.digest()) : sha256;
    if (!etag) return null;
    await opts.beforeRename?.(etag);
    await fsp.rename(tmpPath, finalPath);
    stored = true;
    return { etag, content: opts.hashContent && sha256 ? { sha256, stamp } : undefined };
  } finally {
    if (!stored) await fsp.rm(tmpPath, { force: true });
  }
}
