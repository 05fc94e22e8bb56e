/**
 * The embedded store's HTTP side, in its own worker thread: s3rver behind a Signature V4 check
 * and the sealed-key guard. On the API's event loop, every part PUT's body chunks and s3rver's
 * koa stack queued in front of registers and completes; here they can use the other core.
 * Started by embedded-store.ts only.
 */
import Database from 'better-sqlite3';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { cachePreparedStatements } from '../../common/sqlite-statement-cache';
import { lowerThreadPriority, nameThisThread } from '../thread-priority';
import { isSealedUploadKey } from './sealed-keys';
import { abortMultipart, replaceHttpCompletes, type MultipartAssembler } from './embedded-multipart';
import { openObjectIndex, useObjectIndex, type SidecarStore } from './embedded-object-index';
import { answerError, handlePlainPut, keptMetadata, type PutStore, type StorePaths } from './embedded-put';
import { SmallObjectWriter } from './small-object-writer';
import { queryParamNames, verifySigV4, type SigV4Refusal } from './sigv4-verify';

export interface StoreThreadData {
  directory: string;
  bucket: string;
  port: number;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The server's database, opened read-only to refuse PUTs to keys of completed or aborted uploads. */
  databaseFile?: string;
  /** Objects' ETags and metadata (embedded-object-index.ts). */
  indexFile: string;
}

export type StoreThreadMessage = { type: 'ready'; port: number } | { type: 'failed'; message: string };

interface S3rverInternals {
  middleware: unknown[];
  callback(): http.RequestListener;
  configureBuckets(): Promise<void>;
  store: StorePaths & SidecarStore & MultipartAssembler;
}

// Not named `require`: electron-vite's ESM output declares its own `require` shim in the same scope.
const cjsRequire = createRequire(import.meta.url);

/** A PutObject (not an UploadPart) to a key of the bucket. */
function putObjectKey(url: string, bucket: string): string | null {
  const { pathname, searchParams } = new URL(url, 'http://store');
  if (searchParams.has('uploadId') || !pathname.startsWith(`/${bucket}/`)) return null;
  try {
    return decodeURIComponent(pathname.slice(bucket.length + 2));
  } catch {
    return null; // not a key this store could hold; s3rver answers it
  }
}

/**
 * A presigned URL that would copy an object (x-amz-copy-source as a header, or hoisted into the
 * query, which s3rver reads as a header too). The server never signs one: its URLs PUT the bytes
 * the client sends, and a copy would let a client name any key of the bucket as the source.
 */
function presignedCopy(req: http.IncomingMessage): SigV4Refusal | null {
  const names = queryParamNames(req.url ?? '/');
  if (!names.includes('X-Amz-Signature')) return null;
  if (req.headers['x-amz-copy-source'] === undefined && !names.some((n) => n.toLowerCase() === 'x-amz-copy-source'))
    return null;
  return { code: 'AccessDenied', message: 'A presigned URL cannot copy objects; PUT the bytes themselves.' };
}

/** DELETE /<bucket>/<key>?uploadId=...: S3's AbortMultipartUpload (204, or 404 NoSuchUpload). */
function answerAbort(req: http.IncomingMessage, res: http.ServerResponse, store: PutStore): boolean {
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://store');
  const uploadId = searchParams.get('uploadId');
  if (!uploadId || !pathname.startsWith(`/${store.bucket}/`)) return false;
  let key: string;
  try {
    key = decodeURIComponent(pathname.slice(store.bucket.length + 2));
  } catch {
    return false;
  }
  req.resume();
  abortMultipart(store.paths, store.bucket, key, uploadId).then(
    (found) => {
      if (found) res.writeHead(204).end();
      else answerError(res, 404, 'NoSuchUpload', 'The specified multipart upload does not exist.');
    },
    (err: unknown) => answerError(res, 500, 'InternalError', err instanceof Error ? err.message : String(err)),
  );
  return true;
}

async function start(data: StoreThreadData): Promise<http.Server> {
  const { credentials, bucket } = data;
  const account = cjsRequire('s3rver/lib/models/account') as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  account.DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  const S3rver = cjsRequire('s3rver') as new (options: Record<string, unknown>) => S3rverInternals;
  const s3rver = new S3rver({
    silent: true,
    directory: data.directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  // The first middleware is s3rver's per-request logger (koa-logger + winston): pure overhead
  // when silent, and it would print object keys.
  s3rver.middleware.shift();
  const index = openObjectIndex(data.indexFile);
  useObjectIndex(s3rver.store, index, keptMetadata);
  const S3Error = cjsRequire('s3rver/lib/models/error') as new (code: string, message: string) => Error;
  replaceHttpCompletes(
    s3rver.store,
    index,
    () =>
      new S3Error(
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      ),
    (message) => new S3Error('InvalidPart', message),
  );
  const putStore: PutStore = { bucket, paths: s3rver.store, index, writer: new SmallObjectWriter() };
  await s3rver.configureBuckets();
  const listener = s3rver.callback();
  // Statements compiled once: the sealed-key check runs on every PUT.
  const db = data.databaseFile
    ? cachePreparedStatements(new Database(data.databaseFile, { readonly: true, fileMustExist: true }))
    : undefined;
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const problem =
      verifySigV4({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, (id) =>
        id === credentials.accessKeyId ? credentials.secretAccessKey : undefined,
      ) ?? presignedCopy(req);
    const key = !problem && db && req.method === 'PUT' ? putObjectKey(req.url ?? '/', bucket) : null;
    // A one-part upload's URL is a PutObject to its final key and stays valid after the complete or abort.
    const sealed = key !== null && isSealedUploadKey(db!, key);
    if (problem || sealed) {
      // Drain the refused body so the client sees the 403 instead of a reset connection.
      req.resume();
      if (problem) answerError(res, 403, problem.code, problem.message);
      else
        answerError(
          res,
          403,
          'AccessDenied',
          'The upload of this object was completed or aborted: its object cannot be written; register the file again.',
        );
      return;
    }
    if (req.method === 'DELETE' && answerAbort(req, res, putStore)) return;
    if (!handlePlainPut(req, res, putStore)) listener(req, res);
  };
  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      // One odd request must not take the store's thread (and every upload) down with it.
      req.resume();
      if (!res.headersSent) answerError(res, 500, 'InternalError', err instanceof Error ? err.message : String(err));
    }
  });
  server.keepAliveTimeout = 30_000;
  server.once('close', () => {
    index.close();
    void putStore.writer.close();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(data.port, '127.0.0.1', () => resolve());
  });
  return server;
}

const port = parentPort!;
/**
 * Linux nice value of the store's thread (0 normal, 19 lowest). Part and object bodies are bulk
 * work: under contention the API's registers and completes (the calls a client waits on) should
 * go first. Measured both ways: at 10, bench:ingest's complete p99 was lowest but our import in
 * bench:upload lost ~20% (the store starved beside the uploading client on the same cores);
 * at 0 the opposite (ingest p99 67-227 ms). 5 kept the upload ahead of aws-cli and rclone with
 * an ingest p99 of 42-57 ms. Alone on the machine, the store gets a whole core at any value.
 */
const STORE_NICENESS = 5;
lowerThreadPriority(STORE_NICENESS);
nameThisThread('cm-store');
start(workerData as StoreThreadData).then(
  (server) => {
    port.postMessage({ type: 'ready', port: (server.address() as AddressInfo).port } satisfies StoreThreadMessage);
    // 'close' from the owner: stop listening, cut keep-alive connections, let the thread end.
    port.once('message', () => {
      server.close(() => port.close());
      server.closeAllConnections();
    });
  },
  (err: unknown) => {
    port.postMessage({
      type: 'failed',
      message: err instanceof Error ? err.message : String(err),
    } satisfies StoreThreadMessage);
    port.close();
  },
);
