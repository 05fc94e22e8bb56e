import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedStore, type EmbeddedStore } from '../../server/storage/embedded-store';
import { createS3Client } from '../../server/storage/s3-client';

/**
 * Deletes of several objects in one directory at once (every process's start-up canary sits under
 * `.credmate-canary/`): s3rver removes the emptied directories after each delete, and two deletes
 * racing over that clean-up answered 500, which made a worker refuse to start.
 */
describe('embedded store: concurrent deletes in one directory', () => {
  let dir: string;
  let store: EmbeddedStore;
  let s3: S3Client;
  const Bucket = 'credmate-test';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-store-delete-'));
    store = await startEmbeddedStore({ dataDir: dir, bucket: Bucket, region: 'us-east-1', port: 0 });
    s3 = createS3Client(
      { endpoint: store.endpoint, region: store.region, forcePathStyle: true, credentials: store.credentials },
      { connectTimeoutMs: 2000, requestTimeoutMs: 10_000, maxAttempts: 1 },
    );
  });
  afterAll(async () => {
    s3?.destroy();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers every delete, and every object is gone', async () => {
    for (let round = 0; round < 10; round++) {
      const keys = Array.from({ length: 8 }, (_, i) => `.canary-${round}/${i}`);
      await Promise.all(keys.map((Key) => s3.send(new PutObjectCommand({ Bucket, Key, Body: 'ok' }))));
      await Promise.all(keys.map((Key) => s3.send(new DeleteObjectCommand({ Bucket, Key }))));
      for (const Key of keys)
        await expect(s3.send(new HeadObjectCommand({ Bucket, Key }))).rejects.toMatchObject({ name: 'NotFound' });
    }
  });
});
