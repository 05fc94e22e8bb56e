/**
 * Each object's ETag and kept metadata for the embedded store, in one small SQLite file instead
 * of s3rver's two sidecar files (`._S3rver_object.md5`, `._S3rver_metadata.json`) per object.
 * Why: creating a file can cost ~0.5 ms of kernel CPU on this kind of machine (see
 * small-object-writer.ts; an existing file's rewrite ~0.03 ms, a row here ~0.02 ms), so the
 * sidecars were two thirds of the store's CPU per small PUT, and under bench:ingest's 100 clients
 * that CPU came out of the API's latency.
 * A row is authoritative when present; an object without one (written by an older version, or
 * whose row a power cut lost) falls back to s3rver's sidecars, and without those to the MD5 of
 * its bytes: the ETag of a single PUT.
 * Opened by the store's thread and by the API process (its direct multipart complete); SQLite's
 * WAL lets both write.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { preparePrivateDatabase } from '../../node-shared/private-files';
import { cachePreparedStatements } from '../../common/sqlite-statement-cache';

/**
 * The SHA-256 of an object's bytes, taken as the store received them, and the stamp of the file
 * they were written to (fileStamp). Valid only while the object's file still has that stamp.
 */
export interface ContentHash {
  sha256: string;
  stamp: string;
}

export interface ObjectIndex {
  get(bucket: string, key: string): { etag: string; metadata: Record<string, string> } | undefined;
  /** `content` when the writer hashed the bytes it stored; without it any hash recorded before is dropped. */
  put(bucket: string, key: string, etag: string, metadata: Record<string, string>, content?: ContentHash): void;
  contentHash(bucket: string, key: string): ContentHash | undefined;
  remove(bucket: string, key: string): void;
  close(): void;
}

export function openObjectIndex(file: string): ObjectIndex {
  preparePrivateDatabase(file);
  const db = cachePreparedStatements(new Database(file));
  db.pragma('journal_mode = WAL');
  // Like the object files beside it (never fsynced by s3rver): a process crash loses nothing, a
  // power cut may lose the newest rows, which then fall back as described above.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(
    'CREATE TABLE IF NOT EXISTS objects (bucket TEXT NOT NULL, key TEXT NOT NULL, etag TEXT NOT NULL, metadata TEXT NOT NULL, PRIMARY KEY (bucket, key)) WITHOUT ROWID',
  );
  addContentColumns(db);
  return {
    get(bucket, key) {
      const row = db.prepare('SELECT etag, metadata FROM objects WHERE bucket = ? AND key = ?').get(bucket, key) as
        { etag: string; metadata: string } | undefined;
      return row && { etag: row.etag, metadata: JSON.parse(row.metadata) as Record<string, string> };
    },
    put(bucket, key, etag, metadata, content) {
      db.prepare(
        'INSERT OR REPLACE INTO objects (bucket, key, etag, metadata, sha256, stamp) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(bucket, key, etag, JSON.stringify(metadata), content?.sha256 ?? null, content?.stamp ?? null);
    },
    contentHash(bucket, key) {
      const row = db.prepare('SELECT sha256, stamp FROM objects WHERE bucket = ? AND key = ?').get(bucket, key) as
        { sha256: string | null; stamp: string | null } | undefined;
      return row?.sha256 && row.stamp ? { sha256: row.sha256, stamp: row.stamp } : undefined;
    },
    remove(bucket, key) {
      db.prepare('DELETE FROM objects WHERE bucket = ? AND key = ?').run(bucket, key);
    },
    close() {
      db.close();
    },
  };
}

/**
 * Index files of earlier versions have no content columns. Both openers (the store's thread, then
 * the API process) may find them missing: the second's ALTER then meets the first's column.
 */
function addContentColumns(db: Database.Database): void {
  const columns = new Set((db.pragma('table_info(objects)') as Array<{ name: string }>).map((c) => c.name));
  for (const column of ['sha256', 'stamp'])
    if (!columns.has(column))
      try {
        db.exec(`ALTER TABLE objects ADD COLUMN ${column} TEXT`);
      } catch (err) {
        if (!/duplicate column/i.test(err instanceof Error ? err.message : String(err))) throw err;
      }
}

/**
 * What identifies one written file at a path: inode, size and modification time (ns). Every
 * object is written to a new file renamed into place, so an overwrite or a concurrent PUT of the
 * same key leaves a file of another stamp, and a recorded hash with the old stamp is not trusted.
 */
export function fileStamp(st: { ino: bigint; size: bigint; mtimeNs: bigint }): string {
  return `${st.ino}:${st.size}:${st.mtimeNs}`;
}

/** The part of s3rver's FilesystemStore whose sidecar handling moves into the index. */
export interface SidecarStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<Record<string, string | number>>;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
  deleteObject(bucket: string, key: string): Promise<void>;
  copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata?: Record<string, string>,
  ): Promise<Record<string, string | number>>;
}

/** Fields getMetadata derives from the object itself; everything else is stored metadata. */
const DERIVED = new Set(['etag', 'last-modified', 'content-length']);

/**
 * Points this FilesystemStore instance's metadata calls at the index, so every s3rver route
 * (GET, HEAD, list, copy, delete, its own PUT and multipart complete) reads and writes the rows.
 */
export function useObjectIndex<S extends SidecarStore>(
  store: S,
  index: ObjectIndex,
  keptMetadata: (m: Record<string, string>) => Record<string, string>,
): S {
  const readSidecars = store.getMetadata.bind(store);
  const deleteFiles = store.deleteObject.bind(store);

  store.getMetadata = async (bucket, key) => {
    const row = index.get(bucket, key);
    if (!row) return readSidecars(bucket, key);
    const stat = await fs.promises.stat(store.getResourcePath(bucket, key, 'object')); // ENOENT: no such object, as s3rver expects
    return {
      ...row.metadata,
      etag: JSON.stringify(row.etag),
      'last-modified': stat.mtime.toUTCString(),
      'content-length': stat.size,
    };
  };

  // Its only caller once copyObject is replaced below is s3rver's putObject, which passes the MD5.
  store.putMetadata = async (bucket, key, metadata, md5) => {
    if (md5 === undefined) throw new Error(`putMetadata of ${key} without its MD5`);
    index.put(bucket, key, md5, keptMetadata(metadata));
  };

  store.deleteObject = async (bucket, key) => {
    index.remove(bucket, key);
    try {
      await deleteFiles(bucket, key);
    } catch (err) {
      // s3rver unlinks the object's files (ENOENT there is already ignored), then removes the empty
      // directories above it: a concurrent delete in the same directory (three workers' start-up
      // canaries) removed one first (ENOENT), or a concurrent PUT filled it (ENOTEMPTY). The object
      // is gone either way; answering 500 made a worker refuse to start.
      const code = (err as { code?: string }).code;
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY') throw err;
    }
  };

  store.copyObject = async (srcBucket, srcKey, destBucket, destKey, replacementMetadata) => {
    const source = await store.getMetadata(srcBucket, srcKey);
    const from = store.getResourcePath(srcBucket, srcKey, 'object');
    const to = store.getResourcePath(destBucket, destKey, 'object');
    if (from !== to) {
      await fs.promises.mkdir(path.dirname(to), { recursive: true });
      await fs.promises.copyFile(from, to);
    }
    const kept = Object.fromEntries(Object.entries(source).filter(([k]) => !DERIVED.has(k))) as Record<string, string>;
    index.put(
      destBucket,
      destKey,
      JSON.parse(String(source.etag)) as string,
      replacementMetadata ? keptMetadata(replacementMetadata) : kept,
    );
    return store.getMetadata(destBucket, destKey);
  };
  return store;
}
