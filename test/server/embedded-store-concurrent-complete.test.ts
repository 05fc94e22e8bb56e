import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedStore, type EmbeddedStore } from '../../server/storage/embedded-store';
import { createS3Client } from '../../server/storage/s3-client';

/**
 * CompleteMultipartUpload sent again while the first still runs (a client retried a complete whose
 * answer it lost, through another API process): the store's thread died on a part file the first
 * had just removed. Now one assembles the object and the others answer NoSuchUpload, as S3 does.
 */
describe('embedded store: concurrent completes of one multipart upload', () => {
  let dir: string;
  let store: EmbeddedStore;
  let s3: S3Client;
  const Bucket = 'credmate-test';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-store-complete-'));
    store = await startEmbeddedStore({ dataDir: dir, bucket: Bucket, region: 'us-east-1', port: 0 });
    s3 = createS3Client(
      { endpoint: store.endpoint, region: store.region, forcePathStyle: true, credentials: store.credentials },
      { connectTimeoutMs: 2000, requestTimeoutMs: 30_000, maxAttempts: 1 },
    );
  });
  afterAll(async () => {
    s3?.destroy();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('assembles the object once; the other completes answer NoSuchUpload and the store keeps serving', async () => {
    for (let round = 0; round < 8; round++) {
      const Key = `doc-${round}.pdf`;
      const parts = [Buffer.alloc(5 * 1024 * 1024, round), Buffer.alloc(300_000, round + 1)];
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
      const etags = await Promise.all(
        parts.map(async (Body, i) => {
          const out = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }));
          return { PartNumber: i + 1, ETag: out.ETag };
        }),
      );
      const complete = () =>
        s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: etags } }));
      const answers = await Promise.allSettled([complete(), complete(), complete()]);
      expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const a of answers) if (a.status === 'rejected') expect(a.reason).toMatchObject({ name: 'NoSuchUpload' });
      await expect(complete()).rejects.toMatchObject({ name: 'NoSuchUpload' });
      const body = await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray();
      expect(Buffer.compare(Buffer.from(body), Buffer.concat(parts))).toBe(0);
    }
    await s3.send(new HeadBucketCommand({ Bucket }));
  });
});
