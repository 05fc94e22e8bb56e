/**
 * The embedded S3-compatible store: s3rver, filesystem-backed inside the data dir, on loopback
 * only. Its HTTP side runs in a worker thread of the server process (embedded-store-thread.ts:
 * part bodies off the API's event loop, no extra process to start or supervise). Unlike plain
 * s3rver it checks every request's Signature V4 (s3rver itself does not), and its keys come from
 * the environment or are generated once per data dir, so a client can reach only the keys and
 * operations of the presigned URLs the server handed it, until they expire.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { serverStateDir } from '../config';
import { threadEntry } from '../../node-shared/thread-entry';
import { assembleMultipart } from './embedded-multipart';
import { fileStamp, openObjectIndex, type ObjectIndex } from './embedded-object-index';
import { FileHasher } from './file-sha256';
import type { StoreThreadData, StoreThreadMessage } from './embedded-store-thread';
import type { ObjectStore } from './object-store';

// Not named `require`: electron-vite's ESM output declares its own `require` shim in the same scope.
const cjsRequire = createRequire(import.meta.url);

interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  initiateUpload(bucket: string, key: string, uploadId: string, metadata: Record<string, string>): Promise<void>;
}

/** The multipart calls the API server makes on every upload, done on the store's files directly. */
export type EmbeddedDirectOps = Pick<ObjectStore, 'createMultipart' | 'completeMultipart' | 'size' | 'sha256'>;

export interface EmbeddedStore {
  endpoint: string;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /**
   * Create/complete/size/sha256 without a loopback HTTP round trip and SDK call each (the same s3rver
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
   * The server's database: a plain PUT to the key of an upload it records as completed or
   * aborted is refused. A one-part upload's URL is a PutObject to its final key and stays valid
   * after the complete or abort; without this it could replace a document's bytes, or store
   * bytes that belong to no upload.
   */
  databaseFile?: string;
  /** The store's thread died after start: uploads and reads fail until a restart. */
  onCrash?: (err: Error) => void;
}

function loadOrCreateKeys(dataDir: string, given: Pick<EmbeddedStoreOptions, 'accessKeyId' | 'secretAccessKey'>) {
  if (given.accessKeyId && given.secretAccessKey)
    return { accessKeyId: given.accessKeyId, secretAccessKey: given.secretAccessKey };
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

export async function startEmbeddedStore(opts: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const credentials = loadOrCreateKeys(opts.dataDir, opts);
  const directory = path.join(serverStateDir(opts.dataDir), 'objects');
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });

  const entry = threadEntry(import.meta.url, 'embedded-store-thread');
  const indexFile = path.join(serverStateDir(opts.dataDir), 'object-index.sqlite');
  const data: StoreThreadData = {
    directory,
    bucket: opts.bucket,
    port: opts.port,
    credentials,
    databaseFile: opts.databaseFile,
    indexFile,
  };
  const thread = new Worker(entry.source, { eval: entry.eval, workerData: data });
  let closing = false;
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    thread.once('message', (m: StoreThreadMessage) =>
      m.type === 'ready' ? resolve(m.port) : reject(new Error(m.message)),
    );
    thread.once('error', reject);
    thread.once('exit', (code) =>
      reject(new Error(`the embedded store's thread exited (code ${code}) before it was ready`)),
    );
  }).catch(async (err: unknown) => {
    await thread.terminate();
    throw err;
  });
  thread.on('error', (err) => opts.onCrash?.(err));
  thread.once('exit', (code) => {
    if (!closing) opts.onCrash?.(new Error(`the embedded store's thread exited (code ${code})`));
  });

  // s3rver's filesystem store keeps no state in memory: this instance and the thread's share the directory.
  const FilesystemStore = cjsRequire('s3rver/lib/stores/filesystem') as new (directory: string) => FilesystemStore;
  const files = new FilesystemStore(directory);
  const index = openObjectIndex(indexFile);
  const hasher = new FileHasher();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: opts.bucket,
    region: opts.region,
    credentials,
    direct: directOps(files, index, hasher, opts.bucket),
    async close() {
      closing = true;
      thread.postMessage('close');
      // A thread stuck in a request must not hold the drain: cut it after a grace period.
      const forced = setTimeout(() => void thread.terminate(), 2_000);
      await exited;
      clearTimeout(forced);
      await hasher.close();
      index.close();
    },
  };
}

function directOps(store: FilesystemStore, index: ObjectIndex, hasher: FileHasher, bucket: string): EmbeddedDirectOps {
  return {
    async createMultipart(key) {
      const id = crypto.randomBytes(16).toString('hex');
      await store.initiateUpload(bucket, key, id, { 'content-type': 'application/pdf' });
      return id;
    },
    async completeMultipart(_key, s3UploadId, parts) {
      await assembleMultipart(store, index, bucket, s3UploadId, parts);
    },
    async size(key) {
      try {
        // Sync on purpose: ~8 µs from the dentry cache, where the async stat queued behind the
        // store thread's file writes in libuv's shared pool (~0.3 ms of the API loop each).
        return fs.statSync(store.getResourcePath(bucket, key, 'object')).size;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async sha256(key) {
      const file = store.getResourcePath(bucket, key, 'object');
      // The hash the store took as the bytes arrived, while the object is still the file it was
      // taken of (an overwrite, a concurrent PUT of the key, a multipart complete or s3rver's own
      // write leave another stamp or no hash): ~10 µs instead of reading the object again on the
      // hashing thread (issue 17: 1.0 s of server CPU for 5,000 files of 60 kB).
      let st: fs.BigIntStats;
      try {
        // Sync on purpose, as size() above.
        st = fs.statSync(file, { bigint: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      const recorded = index.contentHash(bucket, key);
      if (recorded && recorded.stamp === fileStamp(st)) return recorded.sha256;
      return hasher.sha256(file);
    },
  };
}
