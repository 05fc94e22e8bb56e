import crypto from 'node:crypto';
import { DeleteObjectCommand, HeadBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Refuses to serve with a bucket that is missing, unreachable or not writable: the seed system
 * drifted between its configured bucket name and reality and only found out on the first upload.
 * Throws one message naming bucket, endpoint and the error; the whole check has a deadline.
 */
export async function checkBucket(
  client: S3Client,
  bucket: string,
  endpoint: string,
  deadlineMs: number,
): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), deadlineMs);
  const step = async (what: string, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const reason = abort.signal.aborted
        ? `no answer within ${deadlineMs} ms`
        : `${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}${status ? ` (HTTP ${status})` : ''}`;
      throw new Error(`Storage check failed: ${what} on bucket "${bucket}" at endpoint ${endpoint}: ${reason}`);
    }
  };
  const canaryKey = `.credmate-canary/${crypto.randomUUID()}`;
  try {
    await step('HeadBucket', () =>
      client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: abort.signal }),
    );
    await step('canary PutObject', () =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: canaryKey, Body: 'ok' }), { abortSignal: abort.signal }),
    );
    await step('canary DeleteObject', () =>
      client.send(new DeleteObjectCommand({ Bucket: bucket, Key: canaryKey }), { abortSignal: abort.signal }),
    );
  } finally {
    clearTimeout(timer);
  }
}
