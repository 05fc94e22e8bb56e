import type Database from 'better-sqlite3';

/** Batches, files, multipart uploads and their parts: the upload queue as a journal. */
export function migrate001Queue(db: Database.Database): void {
  db.exec(`
    CREATE TABLE batches (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      provider TEXT,
      created_at TEXT NOT NULL,
      server_batch_id TEXT
    );
    CREATE TABLE files (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      batch_id TEXT NOT NULL REFERENCES batches(id),
      path TEXT NOT NULL,
      rel_path TEXT NOT NULL,
      file_name TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      mtime_ms REAL NOT NULL,
      sha256 TEXT NOT NULL,
      pages INTEGER,
      state TEXT NOT NULL,
      bytes_sent INTEGER NOT NULL DEFAULT 0,
      error_kind TEXT,
      error_message TEXT,
      document_id TEXT,
      document_status TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX files_state ON files(state, seq);
    CREATE INDEX files_batch ON files(batch_id, seq);
    CREATE INDEX files_sha256 ON files(sha256);
    CREATE TABLE uploads (
      file_id TEXT PRIMARY KEY REFERENCES files(id),
      upload_id TEXT NOT NULL,
      part_size INTEGER NOT NULL,
      part_count INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE parts (
      file_id TEXT NOT NULL REFERENCES files(id),
      part_number INTEGER NOT NULL,
      size_bytes INTEGER NOT NULL,
      etag TEXT,
      state TEXT NOT NULL,
      PRIMARY KEY (file_id, part_number)
    );
  `);
}
