import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoreFailure } from '../../server/storage/object-store';
import { createS3Client } from '../../server/storage/s3-client';

/** The API answers 503 for a failing store by the error's kind (SDK name or metadata), never by its wording. */
describe('isStoreFailure', () => {
  // A store that accepts the connection and never answers: the client's own deadline ends the call.
  let silent: http.Server;
  let port: number;
  beforeAll(async () => {
    silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    port = (silent.address() as AddressInfo).port;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });

  const client = () =>
    createS3Client(
      {
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      },
      { connectTimeoutMs: 1000, requestTimeoutMs: 300, maxAttempts: 1 },
    );

  it('recognises a store that did not answer before its deadline', async () => {
    const err = await client()
      .send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(Error);
    expect(isStoreFailure(err)).toBe(true);
  });

  it('does not take an error for a store failure because of its wording', () => {
    expect(isStoreFailure(new Error('the lock timed out'))).toBe(false);
    expect(isStoreFailure('TimeoutError')).toBe(false);
  });
});
