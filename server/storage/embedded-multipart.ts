/**
 * CompleteMultipartUpload for the embedded store, in s3rver's on-disk format. Why not s3rver's
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

function invalidPart(message: string): Error {
  return Object.assign(new Error(message), { name: 'InvalidPart' });
}

export async function assembleMultipart(
  paths: StorePaths,
  index: ObjectIndex,
  bucket: string,
  uploadId: string,
  parts: Array<{ partNumber: number; etag: string }>,
): Promise<void> {
  const uploadDir = path.join(paths.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  const md5s = await Promise.all(
    sorted.map(async (p) => {
      const stored = await fsp.readFile(path.join(uploadDir, `${p.partNumber}.md5`), 'utf8').catch(() => null);
      if (stored === null) throw invalidPart(`Part ${p.partNumber} was never uploaded.`);
      if (stored !== p.etag.replace(/"/g, ''))
        throw invalidPart(`Part ${p.partNumber} has ETag "${stored}", not ${p.etag}.`);
      return Buffer.from(stored, 'hex');
    }),
  );
  const [key, initiated] = await Promise.all([
    fsp.readFile(path.join(uploadDir, 'key'), 'utf8'),
    fsp.readFile(path.join(uploadDir, 'metadata'), 'utf8').then((s) => JSON.parse(s) as Record<string, string>),
  ]);

  const objectPath = paths.getResourcePath(bucket, key, 'object');
  await fsp.mkdir(path.dirname(objectPath), { recursive: true });
  const tmpPath = `${objectPath}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  try {
    const out = await fsp.open(tmpPath, 'w');
    try {
      const chunk = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
      for (const p of sorted) {
        const part = await fsp.open(path.join(uploadDir, String(p.partNumber)), 'r');
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
    const etag = `${crypto.createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${sorted.length}`;
    index.put(bucket, key, etag, keptMetadata(initiated));
  } finally {
    await fsp.rm(tmpPath, { force: true }); // after the rename: nothing left to remove
  }
  await fsp.rm(uploadDir, { recursive: true, force: true });
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
export interface MultipartAssembler {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putObjectMultipart(bucket: string, uploadId: string, parts: unknown[]): Promise<unknown>;
}

/** A part as s3rver's CompleteMultipartUpload route lists it (ETag without quotes). */
interface ListedPart {
  number: number;
  etag: string;
}

/**
 * Every listed part is stored with the listed ETag, else InvalidPart (400), as S3 answers. s3rver
 * checks nothing: it streamed a part file that was never written (a part PUT cut short stores
 * none), and the stream's ENOENT, with no listener, killed the store's thread.
 */
async function checkListedParts(
  uploadDir: string,
  parts: ListedPart[],
  invalidPart: (message: string) => Error,
): Promise<void> {
  for (const p of parts) {
    const file = path.join(uploadDir, String(p.number));
    const [md5, stat] = await Promise.all([
      fsp.readFile(`${file}.md5`, 'utf8').catch(() => null),
      fsp.stat(file).catch(() => null),
    ]);
    if (md5 === null || stat === null)
      throw invalidPart(`Part ${p.number} was never uploaded; upload it, then complete again.`);
    if (md5 !== p.etag) throw invalidPart(`Part ${p.number} has ETag "${md5}", not "${p.etag}".`);
  }
}

/**
 * One CompleteMultipartUpload per upload at a time, over HTTP (the standalone store; clients that
 * retry a complete whose answer they lost, possibly through another API process). s3rver's own
 * assembly streams the part files and removes the upload's directory after: a second complete
 * arriving meanwhile opened a part file just removed, and the stream's ENOENT, with no listener,
 * killed the store's thread. Serialised, the second finds the upload gone and answers NoSuchUpload
 * (404), as S3 does for a completed upload; the completed object is untouched. A part list naming
 * a part not stored is refused before assembly (checkListedParts).
 */
export function serialiseCompletes(
  store: MultipartAssembler,
  noSuchUpload: () => Error,
  invalidPart: (message: string) => Error,
): void {
  const assemble = store.putObjectMultipart.bind(store);
  const running = new Map<string, Promise<unknown>>();
  store.putObjectMultipart = (bucket, uploadId, parts) => {
    const uploadDir = path.join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
    const turn = (running.get(uploadId) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        if (!(await fsp.stat(uploadDir).catch(() => null))) throw noSuchUpload();
        await checkListedParts(uploadDir, parts as ListedPart[], invalidPart);
        return assemble(bucket, uploadId, parts);
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
