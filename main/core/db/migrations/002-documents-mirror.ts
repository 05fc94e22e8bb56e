import type Database from 'better-sqlite3';

/** Local mirror of the server's documents (from the change feed) and the feed's cursor. */
export function migrate002DocumentsMirror(db: Database.Database): void {
  db.exec(`
    CREATE TABLE documents (
      id TEXT PRIMARY KEY,
      batch_id TEXT,
      file_name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      status TEXT NOT NULL,
      doc_type TEXT,
      provider TEXT,
      expiration_date TEXT,
      updated_at TEXT NOT NULL,
      change_seq INTEGER NOT NULL,
      summary_json TEXT NOT NULL
    );
    CREATE INDEX documents_status ON documents(status);
    CREATE INDEX documents_sha256 ON documents(sha256);
    CREATE INDEX documents_updated ON documents(updated_at);
    CREATE TABLE sync_state (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `);
}
