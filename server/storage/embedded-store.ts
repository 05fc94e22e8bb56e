/**
 * The embedded S3-compatible store: s3rver, filesystem-backed inside the data dir, on loopback
 * only, run inside the server process (no extra hop or process start for a 300 KB part).
 * Unlike plain s3rver it checks every request's Signature V4 (s3rver itself does not), and its
 * keys come from the environment or are generated once per data dir, so a client can reach only
 * the keys and operations of the presigned URLs the server handed it, until they expire.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serverStateDir } from '../config';
import type { ObjectStore } from './object-store';
import { verifySigV4 } from './sigv4-verify';

const require = createRequire(import.meta.url);

interface AwsAccountModel {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
}
interface S3rverInternals {
  middleware: unknown[];
  callback(): http.RequestListener;
  configureBuckets(): Promise<void>;
  store: {
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    initiateUpload(bucket: string, key: string, uploadId: string, metadata: Record<string, string>): Promise<void>;
    putObjectMultipart(bucket: string, uploadId: string, parts: Array<{ number: number; etag: string }>): Promise<{ md5: string; size: number }>;
  };
}

/** The multipart calls the API server makes on every upload, done on the store's files directly. */
export type EmbeddedDirectOps = Pick<ObjectStore, 'createMultipart' | 'completeMultipart' | 'size'>;

export interface EmbeddedStore {
  endpoint: string;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** s3rver has no AbortMultipartUpload: drop the upload's parts from disk instead. */
  discardUpload(s3UploadId: string): Promise<void>;
  /**
   * Create/complete/size without a loopback HTTP round trip and SDK call each (the same s3rver
   * store code the HTTP route runs): under a burst of uploads those round trips were most of the
   * API process's CPU. Clients still PUT parts and the worker still reads over signed HTTP.
   */
  direct: EmbeddedDirectOps;
  close(): Promise<void>;
}

export interface EmbeddedStoreOptions {
  dataDir: string;
  bucket: string;
  region: string;
  port: number;
  accessKeyId?: string;
  secretAccessKey?: string;
  /**
   * Keys a plain PUT may no longer write. A one-part upload's URL is a PutObject to its final key
   * and stays valid after the complete; without this it could replace a document's bytes.
   */
  isSealed?: (key: string) => boolean;
}

function loadOrCreateKeys(dataDir: string, given: Pick<EmbeddedStoreOptions, 'accessKeyId' | 'secretAccessKey'>) {
  if (given.accessKeyId && given.secretAccessKey) return { accessKeyId: given.accessKeyId, secretAccessKey: given.secretAccessKey };
  const file = path.join(serverStateDir(dataDir), 's3-keys.json');
  try {
    const keys = JSON.parse(fs.readFileSync(file, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    if (keys.accessKeyId && keys.secretAccessKey) return keys;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const keys = {
    accessKeyId: `CM${crypto.randomBytes(9).toString('hex').toUpperCase()}`,
    secretAccessKey: crypto.randomBytes(30).toString('base64url'),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
  return keys;
}

function refuse(res: http.ServerResponse, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(403, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}

export async function startEmbeddedStore(opts: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const credentials = loadOrCreateKeys(opts.dataDir, opts);
  const directory = path.join(serverStateDir(opts.dataDir), 'objects');
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });

  const account = require('s3rver/lib/models/account') as AwsAccountModel;
  account.DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);

  const S3rver = require('s3rver') as new (options: Record<string, unknown>) => unknown;
  const s3rver = new S3rver({ silent: true, directory, configureBuckets: [{ name: opts.bucket, configs: [] }] }) as unknown as S3rverInternals;
  // The first middleware is s3rver's per-request logger (koa-logger + winston): pure overhead
  // when silent, and it would print object keys.
  s3rver.middleware.shift();
  await s3rver.configureBuckets();
  const listener = s3rver.callback();
  const server = http.createServer((req, res) => {
    const problem = verifySigV4({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, (id) =>
      id === credentials.accessKeyId ? credentials.secretAccessKey : undefined,
    );
    const sealed = !problem && req.method === 'PUT' && opts.isSealed && sealedTarget(req.url ?? '/', opts.bucket, opts.isSealed);
    if (problem || sealed) {
      // Drain the refused body so the client sees the 403 instead of a reset connection.
      req.resume();
      if (problem) refuse(res, /expired/.test(problem) ? 'AccessDenied' : 'SignatureDoesNotMatch', problem);
      else refuse(res, 'AccessDenied', 'The object belongs to a completed upload and cannot be replaced.');
      return;
    }
    listener(req, res);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: opts.bucket,
    region: opts.region,
    credentials,
    async discardUpload(s3UploadId) {
      if (!/^[0-9a-f]{32}$/.test(s3UploadId)) return;
      await fs.promises.rm(path.join(s3rver.store.getResourcePath(opts.bucket, undefined, 'uploads'), s3UploadId), { recursive: true, force: true });
    },
    direct: directOps(s3rver.store, opts.bucket),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A PutObject (not an UploadPart) to a sealed key of the bucket. */
function sealedTarget(url: string, bucket: string, isSealed: (key: string) => boolean): boolean {
  const { pathname, searchParams } = new URL(url, 'http://store');
  if (searchParams.has('uploadId') || !pathname.startsWith(`/${bucket}/`)) return false;
  return isSealed(decodeURIComponent(pathname.slice(bucket.length + 2)));
}

function directOps(store: S3rverInternals['store'], bucket: string): EmbeddedDirectOps {
  const uploadDir = (id: string) => path.join(store.getResourcePath(bucket, undefined, 'uploads'), id);
  return {
    async createMultipart(key) {
      const id = crypto.randomBytes(16).toString('hex');
      await store.initiateUpload(bucket, key, id, { 'content-type': 'application/pdf' });
      return id;
    },
    async completeMultipart(_key, s3UploadId, parts) {
      // s3rver would fail mid-stream on a missing part file: check them first, as S3 does (InvalidPart).
      for (const p of parts) {
        const exists = await fs.promises.stat(path.join(uploadDir(s3UploadId), String(p.partNumber))).then(() => true, () => false);
        if (!exists) throw Object.assign(new Error(`Part ${p.partNumber} was never uploaded.`), { name: 'InvalidPart' });
      }
      await store.putObjectMultipart(bucket, s3UploadId, parts.map((p) => ({ number: p.partNumber, etag: p.etag.replace(/"/g, '') })));
    },
    async size(key) {
      try {
        return (await fs.promises.stat(store.getResourcePath(bucket, key, 'object'))).size;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}
