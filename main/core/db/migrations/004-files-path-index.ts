import type Database from 'better-sqlite3';

/**
 * The scan asks, for every file it finds, whether the queue already holds its hash for that path,
 * size and mtime (QueueStore.knownSha256). Without an index each question read the whole files
 * table: a 5,000-file import spent 1.7 s of its main thread there, growing with the square of the
 * queue's size (bench:upload --shape many, issue 17).
 */
export function migrate004FilesPathIndex(db: Database.Database): void {
  db.exec('CREATE INDEX files_path ON files(path, size_bytes, mtime_ms, seq)');
}
