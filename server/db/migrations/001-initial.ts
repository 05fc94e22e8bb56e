/** Organisations, users, sessions, batches, uploads, documents, extractions, jobs, audit chain. */
export const up = `
CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'uploader')),
  created_at TEXT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE TABLE batches (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  expected_files INTEGER,
  created_by TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX batches_org ON batches(org_id, created_at);
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  batch_id TEXT REFERENCES batches(id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  provider TEXT,
  object_key TEXT NOT NULL,
  s3_upload_id TEXT NOT NULL,
  part_size INTEGER NOT NULL,
  part_count INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'completed', 'aborted')),
  document_id TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX uploads_open_by_hash ON uploads(org_id, sha256) WHERE state = 'open';
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  batch_id TEXT REFERENCES batches(id) ON DELETE CASCADE,
  upload_id TEXT,
  file_name TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  provider TEXT,
  object_key TEXT NOT NULL,
  status TEXT NOT NULL,
  failure_reason TEXT,
  pages INTEGER,
  doc_type TEXT,
  doc_type_confidence REAL,
  min_confidence REAL,
  mean_confidence REAL,
  expiration_date TEXT,
  corrections_json TEXT NOT NULL DEFAULT '{}',
  reviewed_by TEXT,
  reviewed_at TEXT,
  processing_started_at INTEGER,
  processing_finished_at INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  change_seq INTEGER NOT NULL
);
CREATE UNIQUE INDEX documents_by_hash ON documents(org_id, sha256);
CREATE INDEX documents_feed ON documents(org_id, change_seq);
CREATE INDEX documents_batch ON documents(batch_id, status);
CREATE TABLE extractions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  job_id INTEGER NOT NULL,
  fencing_token INTEGER NOT NULL,
  pipeline_version TEXT NOT NULL,
  result_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX extractions_doc ON extractions(document_id, id);
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  run_after INTEGER NOT NULL,
  fencing_token INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  last_error TEXT,
  enqueued_at INTEGER NOT NULL,
  first_claimed_at INTEGER,
  finished_at INTEGER
);
CREATE INDEX jobs_ready ON jobs(state, run_after);
CREATE UNIQUE INDEX jobs_one_active_per_document ON jobs(document_id) WHERE state IN ('queued', 'running');
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('change_seq', 0);
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT,
  action TEXT NOT NULL,
  document_id TEXT,
  details_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_org ON audit_events(org_id, id);
CREATE TABLE audit_heads (
  org_id TEXT PRIMARY KEY,
  last_id INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
`;
