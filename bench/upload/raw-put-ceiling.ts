import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { readdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoreTarget {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const PART = 5 * 1024 * 1024;
const SINGLE_PUT_MAX = 8 * 1024 * 1024;

/**
 * The store's ceiling: the same files PUT with no hashing, no database and no API round trips,
 * through one pool of `concurrency` requests (small files as PutObject, big ones as 5 MiB parts).
 * Each request reads its bytes from disk at its offset, as the engine does.
 */
export async function rawPutCeiling(
  dirs: string[],
  target: StoreTarget,
  prefix: string,
  concurrency: number,
): Promise<{ seconds: number; bytes: number }> {
  const s3 = new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000, throwOnRequestTimeout: true },
    // No CRC32 of every body on this side: the loop should measure the store, not the SDK's checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const files = dirs.flatMap((d) =>
    readdirSync(d).map((f) => ({ path: join(d, f), key: `${prefix}/${f}`, size: statSync(join(d, f)).size })),
  );
  const t0 = process.hrtime.bigint();
  const tasks: (() => Promise<void>)[] = [];
  const completes: Promise<void>[] = [];
  for (const f of files) {
    if (f.size <= SINGLE_PUT_MAX) {
      tasks.push(async () => {
        await s3.send(
          new PutObjectCommand({ Bucket: target.bucket, Key: f.key, Body: await readAt(f.path, 0, f.size) }),
        );
      });
      continue;
    }
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: f.key }));
    const count = Math.ceil(f.size / PART);
    const etags: { ETag: string; PartNumber: number }[] = [];
    let left = count;
    let finish: () => void = () => undefined;
    completes.push(
      new Promise<void>((r) => (finish = r)).then(async () => {
        etags.sort((a, b) => a.PartNumber - b.PartNumber);
        await s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: target.bucket,
            Key: f.key,
            UploadId,
            MultipartUpload: { Parts: etags },
          }),
        );
      }),
    );
    for (let n = 1; n <= count; n++) {
      tasks.push(async () => {
        const size = Math.min(PART, f.size - (n - 1) * PART);
        const res = await s3.send(
          new UploadPartCommand({
            Bucket: target.bucket,
            Key: f.key,
            UploadId,
            PartNumber: n,
            Body: await readAt(f.path, (n - 1) * PART, size),
          }),
        );
        etags.push({ ETag: res.ETag as string, PartNumber: n });
        if (--left === 0) finish();
      });
    }
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) await (tasks[next++] as () => Promise<void>)();
    }),
  );
  await Promise.all(completes);
  s3.destroy();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, bytes: files.reduce((n, f) => n + f.size, 0) };
}

async function readAt(path: string, offset: number, size: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(size);
    await fh.read(buf, 0, size, offset);
    return buf;
  } finally {
    await fh.close();
  }
}
