import { AbortMultipartUploadCommand } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { storeClient } from './server-db';
import type { TestServer } from './test-server';

/**
 * Asserts through the S3 API, on either deployment's store, that a multipart upload no longer
 * exists there (its parts removed): AbortMultipartUpload answers NoSuchUpload. Call it only once
 * the server has finished its own abort: on a live upload this probe would abort it itself.
 */
export async function expectMultipartGone(srv: TestServer, key: string, s3UploadId: string): Promise<void> {
  const client = storeClient(srv);
  try {
    await expect(
      client.send(new AbortMultipartUploadCommand({ Bucket: srv.s3.bucket, Key: key, UploadId: s3UploadId })),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
  } finally {
    client.destroy();
  }
}
