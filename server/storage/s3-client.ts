import http from 'node:http';
import https from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';

const MAX_SOCKETS = 256;

export interface S3Target {
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface S3Deadlines {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxAttempts: number;
}

/**
 * Every S3 client the server makes comes from here, so every call has a connect and a request
 * deadline that really fires: without throwOnRequestTimeout the SDK only logs a request past its
 * requestTimeout and keeps waiting (the seed system hung exactly like that).
 * Without explicit credentials the AWS default chain applies (env, profile, instance role).
 */
export function createS3Client(target: S3Target, deadlines: S3Deadlines): S3Client {
  return new S3Client({
    region: target.region,
    endpoint: target.endpoint,
    forcePathStyle: target.forcePathStyle,
    credentials: target.credentials,
    maxAttempts: deadlines.maxAttempts,
    // The SDK's default (WHEN_SUPPORTED) puts the CRC32 of an EMPTY body into every presigned PUT
    // URL (x-amz-checksum-crc32=AAAAAA==), which real S3 then holds the uploaded part to and
    // refuses. Checksums only where an operation requires one; ETag and size are checked anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: deadlines.connectTimeoutMs,
      requestTimeout: deadlines.requestTimeoutMs,
      throwOnRequestTimeout: true,
      // The SDK's default pool (50 sockets) queues requests under a burst of concurrent
      // completes; kept-alive sockets also spare a TCP handshake per call.
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    },
  });
}
