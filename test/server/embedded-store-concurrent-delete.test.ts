import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { TEST_BUCKET as Bucket, useEmbeddedStore } from '../helpers/embedded-store-fixture';

/**
 * Deletes of several objects in one directory at once (every process's start-up canary sits under
 * `.credmate-canary/`): s3rver removes the emptied directories after each delete, and two deletes
 * racing over that clean-up answered 500, which made a worker refuse to start.
 */
describe('embedded store: concurrent deletes in one directory', () => {
  const fx = useEmbeddedStore();

  it('answers every delete, and every object is gone', async () => {
    for (let round = 0; round < 10; round++) {
      const keys = Array.from({ length: 8 }, (_, i) => `.canary-${round}/${i}`);
      await Promise.all(keys.map((Key) => fx.s3.send(new PutObjectCommand({ Bucket, Key, Body: 'ok' }))));
      await Promise.all(keys.map((Key) => fx.s3.send(new DeleteObjectCommand({ Bucket, Key }))));
      for (const Key of keys)
        await expect(fx.s3.send(new HeadObjectCommand({ Bucket, Key }))).rejects.toMatchObject({
          name: 'NotFound',
        });
    }
  });
});
