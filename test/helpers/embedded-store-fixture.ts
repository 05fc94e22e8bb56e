import type { S3Client } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startEmbeddedStore, type EmbeddedStore } from '../../server/storage/embedded-store';
import { createS3Client } from '../../server/storage/s3-client';

export const TEST_BUCKET = 'credmate-test';

/** What useEmbeddedStore fills in before the block's tests run. */
export interface EmbeddedStoreFixture {
  /** The store's data dir (objects under `server/objects/<bucket>`). */
  dir: string;
  store: EmbeddedStore;
  /** An S3 client on it with the store's keys, no retries. */
  s3: S3Client;
}

/**
 * The embedded store on its own thread, started fresh for the calling describe block (beforeAll)
 * in a temp dir and removed after it (afterAll). Read the fields inside tests and hooks only.
 */
export function useEmbeddedStore(opts: { requestTimeoutMs?: number } = {}): EmbeddedStoreFixture {
  const fixture = {} as EmbeddedStoreFixture;
  beforeAll(async () => {
    fixture.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-store-'));
    fixture.store = await startEmbeddedStore({
      dataDir: fixture.dir,
      bucket: TEST_BUCKET,
      region: 'us-east-1',
      port: 0,
    });
    fixture.s3 = createS3Client(
      {
        endpoint: fixture.store.endpoint,
        region: fixture.store.region,
        forcePathStyle: true,
        credentials: fixture.store.credentials,
      },
      { connectTimeoutMs: 2000, requestTimeoutMs: opts.requestTimeoutMs ?? 10_000, maxAttempts: 1 },
    );
  });
  afterAll(async () => {
    fixture.s3?.destroy();
    await fixture.store?.close();
    if (fixture.dir) fs.rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
