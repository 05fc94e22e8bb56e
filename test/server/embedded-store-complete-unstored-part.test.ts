import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { TEST_BUCKET as Bucket, useEmbeddedStore } from '../helpers/embedded-store-fixture';

/**
 * CompleteMultipartUpload over HTTP naming a part that was never stored (its PUT was cut short, so
 * the store kept nothing): s3rver streamed the missing part file and the stream's ENOENT killed the
 * store's thread, so every later upload failed (found on the standalone store the PostgreSQL
 * deployment uses). Now the store answers InvalidPart, as S3 does, and keeps serving.
 */
describe('embedded store: a complete naming a part never stored', () => {
  const fx = useEmbeddedStore();

  it('answers InvalidPart for a missing part or another ETag, then completes once the part is stored', async () => {
    const Key = 'doc.pdf';
    const part = Buffer.alloc(300_000, 7);
    const { UploadId } = await fx.s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const complete = (ETag: string | undefined) =>
      fx.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] },
        }),
      );
    await expect(complete(`"${'0'.repeat(32)}"`)).rejects.toMatchObject({
      name: 'InvalidPart',
      message: expect.stringMatching(/Part 1 was never uploaded/),
    });
    // The store is still up: the part uploads, a wrong ETag is refused, the right one completes.
    const { ETag } = await fx.s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: part }));
    await expect(complete(`"${'1'.repeat(32)}"`)).rejects.toMatchObject({ name: 'InvalidPart' });
    await complete(ETag);
    const body = await (await fx.s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray();
    expect(Buffer.compare(Buffer.from(body), part)).toBe(0);
    await fx.s3.send(new HeadBucketCommand({ Bucket }));
  });
});
