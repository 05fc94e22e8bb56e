/**
 * The embedded store (s3rver in the server process, SQLite deployment only) takes its keys from
 * CREDMATE_S3_ACCESS_KEY_ID / CREDMATE_S3_SECRET_ACCESS_KEY when given and then writes no
 * s3-keys.json; the central deployment's store is external and always has its keys given.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createS3Client } from '../../server/storage/s3-client';
import { objectExists, storeClient } from '../helpers/server-db';
import { startTestServer } from '../helpers/test-server';

describe('the embedded store keys', () => {
  it('uses the embedded store keys from the environment when given, and writes none to disk', async () => {
    const keys = { CREDMATE_S3_ACCESS_KEY_ID: 'OPERATORKEY1', CREDMATE_S3_SECRET_ACCESS_KEY: 'operator-secret-key-1' };
    const srv = await startTestServer({ env: keys });
    try {
      expect(fs.existsSync(path.join(srv.dataDir, 'server', 's3-keys.json'))).toBe(false);
      const s3 = storeClient(srv);
      await s3.send(new PutObjectCommand({ Bucket: srv.s3.bucket, Key: 'tool/probe.txt', Body: 'x' }));
      expect(await objectExists(s3, srv.s3.bucket, 'tool/probe.txt')).toBe(true);
      const wrong = createS3Client(
        {
          endpoint: srv.s3.endpoint,
          region: srv.s3.region,
          forcePathStyle: true,
          credentials: { accessKeyId: 'OPERATORKEY1', secretAccessKey: 'not-the-secret' },
        },
        { connectTimeoutMs: 2000, requestTimeoutMs: 5000, maxAttempts: 1 },
      );
      await expect(
        wrong.send(new PutObjectCommand({ Bucket: srv.s3.bucket, Key: 'tool/x.txt', Body: 'x' })),
      ).rejects.toThrow(/signature does not match/i);
    } finally {
      expect(await srv.stop()).toBe(0);
    }
  });
});
