/**
 * CompleteMultipartUpload for the embedded store, in s3rver's on-disk format: the server's direct
 * call (embedded-store.ts) and the HTTP route (replaceHttpCompletes, below). Why not s3rver's
 * putObjectMultipart: it pipes every part through 64 KB stream chunks and an MD5 of the whole
 * object, ~1 s of the API thread for the 370 MB of large files in bench:upload. Here the parts are
 * copied in 8 MiB reads and writes on the thread pool, and the ETag is S3's multipart ETag (MD5 of
 * the parts' binary MD5s, then "-<count>"), computed from the part ETags already on disk.
 * Checked as S3 does: every listed part exists with the listed ETag (else InvalidPart). The object
 * appears by rename only once whole; the parts are removed after.
 */
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ObjectIndex } from './embedded-object-index';
import { keptMetadata, type StorePaths } from './embedded-put';

const COPY_CHUNK_BYTES = 8 << 20;

function plainInvalidPart(message: string): Error {
  return Object.assign(new Error(message), { name: 'InvalidPart' });
}

/**
 * Assembles the upload's listed parts into its object and removes the upload; answers the object's
 * ETag and size. Every listed part must be stored with the listed ETag (else `invalidPart`): S3's
 * check. The object appears by rename, only once whole and written.
 */
export async function assembleMultipart(
  paths: StorePaths,
  index: ObjectIndex,
  bucket: string,
  uploadId: string,
  parts: Array<{ partNumber: number; etag: string }>,
  invalidPart: (message: string) => Error = plainInvalidPart,
): Promise<{ etag: string; size: number }> {
  const uploadDir = path.join(paths.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  const checked = await Promise.all(
    sorted.map(async (p) => {
      const file = path.join(uploadDir, String(p.partNumber));
      const [stored, stat] = await Promise.all([
        fsp.readFile(`${file}.md5`, 'utf8').catch(() => null),
        fsp.stat(file).catch(() => null),
      ]);
      // The ETag file is written just before the part's rename: a PUT cut short between leaves no part.
      if (stored === null || stat === null)
        throw invalidPart(`Part ${p.partNumber} was never uploaded; upload it, then complete again.`);
      if (stored !== p.etag.replace(/"/g, ''))
        throw invalidPart(`Part ${p.partNumber} has ETag "${stored}", not "${p.etag}".`);
      return { file, md5: Buffer.from(stored, 'hex'), size: stat.size };
    }),
  );
  const [key, initiated] = await Promise.all([
    fsp.readFile(path.join(uploadDir, 'key'), 'utf8'),
    fsp.readFile(path.join(uploadDir, 'metadata'), 'utf8').then((s) => JSON.parse(s) as Record<string, string>),
  ]);

  const objectPath = paths.getResourcePath(bucket, key, 'object');
  await fsp.mkdir(path.dirname(objectPath), { recursive: true });
  const tmpPath = `${objectPath}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  const etag = `${crypto
    .createHash('md5')
    .update(Buffer.concat(checked.map((p) => p.md5)))
    .digest('hex')}-${sorted.length}`;
  try {
    const out = await fsp.open(tmpPath, 'w');
    try {
      const chunk = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
      for (const p of checked) {
        const part = await fsp.open(p.file, 'r');
        try {
          for (let n; (n = (await part.read(chunk, 0, chunk.length, null)).bytesRead) > 0;)
            await out.write(chunk, 0, n);
        } finally {
          await part.close();
        }
      }
    } finally {
      await out.close();
    }
    await fsp.rename(tmpPath, objectPath);
    index.put(bucket, key, etag, keptMetadata(initiated));
  } finally {
    await fsp.rm(tmpPath, { force: true }); // after the rename: nothing left to remove
  }
  await fsp.rm(uploadDir, { recursive: true, force: true });
  return { etag, size: checked.reduce((sum, p) => sum + p.size, 0) };
}

/**
 * AbortMultipartUpload, which s3rver answers with 405: the upload's stored parts are removed.
 * Returns false when no such upload exists for that key (S3's NoSuchUpload). The id is s3rver's
 * own (32 hex digits); anything else names no upload, and never a path.
 */
export async function abortMultipart(
  paths: StorePaths,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<boolean> {
  if (!/^[0-9a-f]{32}$/.test(uploadId)) return false;
  const uploadDir = path.join(paths.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  const storedKey = await fsp.readFile(path.join(uploadDir, 'key'), 'utf8').catch(() => null);
  if (storedKey !== key) return false;
  await fsp.rm(uploadDir, { recursive: true, force: true });
  return true;
}

/** The part of s3rver's FilesystemStore that CompleteMultipartUpload calls over HTTP. */
export interface MultipartAssembler extends StorePaths {
  putObjectMultipart(bucket: string, uploadId: string, parts: ListedPart[]): Promise<{ md5: string; size: number }>;
}

/** A part as s3rver's CompleteMultipartUpload route lists it (ETag without quotes). */
interface ListedPart {
  number: number;
  etag: string;
}

/**
 * CompleteMultipartUpload over HTTP (the standalone store) assembles as the embedded server's own
 * complete does (assembleMultipart), one per upload at a time. Why not s3rver's putObjectMultipart:
 * it checked no part (a part never stored was streamed, and the stream's ENOENT, with no listener,
 * killed the store's thread); it wrote the object's file in place and answered before its write
 * stream had written it, so the API's size check right after could read a cut-short object (found
 * by the central fault test) and a crash left one at the key. Serialised: clients retry a complete
 * whose answer they lost, possibly through another API process; the second finds the upload gone
 * and answers NoSuchUpload (404), as S3 does for a completed upload, and the object is untouched.
 */
export function replaceHttpCompletes(
  store: MultipartAssembler,
  index: ObjectIndex,
  noSuchUpload: () => Error,
  invalidPart: (message: string) => Error,
): void {
  const running = new Map<string, Promise<{ md5: string; size: number }>>();
  store.putObjectMultipart = (bucket, uploadId, parts) => {
    const uploadDir = path.join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
    const turn = (running.get(uploadId) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        if (!(await fsp.stat(uploadDir).catch(() => null))) throw noSuchUpload();
        const listed = parts.map((p) => ({ partNumber: p.number, etag: p.etag }));
        const { etag, size } = await assembleMultipart(store, index, bucket, uploadId, listed, invalidPart);
        return { md5: etag, size };
      });
    running.set(uploadId, turn);
    void turn
      .catch(() => undefined)
      .then(() => {
        if (running.get(uploadId) === turn) running.delete(uploadId);
      });
    return turn;
  };
}
