import path from 'node:path';
import Database from 'better-sqlite3';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../server/storage/s3-client';
import type { TestServer } from './test-server';

// The SDK's "Node 22 will be needed" notice would repeat in every test file's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Opens the running test server's SQLite file directly (WAL allows a second connection) to check rows. */
export function openServerDb(srv: TestServer): Database.Database {
  const db = new Database(path.join(srv.dataDir, 'server', 'credmate.sqlite'));
  db.pragma('busy_timeout = 5000');
  return db;
}

/** An S3 client on the test server's embedded store with its keys and short deadlines. */
export function storeClient(srv: TestServer): S3Client {
  return createS3Client(
    {
      endpoint: srv.s3.endpoint,
      region: srv.s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: srv.s3.accessKeyId, secretAccessKey: srv.s3.secretAccessKey },
    },
    { connectTimeoutMs: 2000, requestTimeoutMs: 5000, maxAttempts: 1 },
  );
}

export async function objectExists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
}
