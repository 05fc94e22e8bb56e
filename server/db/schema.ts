import type { Generated } from 'kysely';

/*
 * The tables of migrations 001-007 as Kysely sees them, one type for both databases (the PostgreSQL
 * twins in pg/migrations keep the same columns; the parity test holds them to it). Conventions:
 * ids and timestamps written as ISO text are `string`; epoch-millisecond timestamps, counts and
 * sequence numbers are `number` (bigint in PostgreSQL, read back as numbers by postgres-pool.ts);
 * a column with a default or an identity is `Generated`.
 */

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  org_id: string;
  /** Case-insensitive (SQLite COLLATE NOCASE, PostgreSQL citext); stored lower-cased by addUser. */
  email: string;
  password_hash: string;
  role: 'admin' | 'reviewer' | 'uploader';
  created_at: string;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface BatchesTable {
  id: string;
  org_id: string;
  name: string;
  expected_files: number | null;
  created_by: string | null;
  created_at: string;
}

export interface UploadsTable {
  id: string;
  org_id: string;
  batch_id: string | null;
  file_name: string;
  size_bytes: number;
  sha256: string;
  provider: string | null;
  object_key: string;
  s3_upload_id: string;
  part_size: number;
  part_count: number;
  state: 'open' | 'completed' | 'aborted';
  document_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  rel_path: string | null;
}

export interface DocumentsTable {
  id: string;
  org_id: string;
  batch_id: string | null;
  upload_id: string | null;
  file_name: string;
  size_bytes: number;
  sha256: string;
  provider: string | null;
  object_key: string;
  status: string;
  failure_reason: string | null;
  pages: number | null;
  doc_type: string | null;
  doc_type_confidence: number | null;
  min_confidence: number | null;
  mean_confidence: number | null;
  expiration_date: string | null;
  corrections_json: Generated<string>;
  reviewed_by: string | null;
  reviewed_at: string | null;
  processing_started_at: number | null;
  processing_finished_at: number | null;
  created_at: string;
  updated_at: string;
  change_seq: number;
  sha256_verified_at: string | null;
  rel_path: string | null;
}

export interface ExtractionsTable {
  id: Generated<number>;
  document_id: string;
  job_id: number;
  fencing_token: number;
  pipeline_version: string;
  result_json: string;
  created_at: string;
}

export interface JobsTable {
  id: Generated<number>;
  document_id: string;
  state: 'queued' | 'running' | 'done' | 'dead';
  attempts: Generated<number>;
  max_attempts: number;
  run_after: number;
  fencing_token: Generated<number>;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  enqueued_at: number;
  first_claimed_at: number | null;
  finished_at: number | null;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  org_id: string;
  at: string;
  actor: string | null;
  action: string;
  document_id: string | null;
  details_json: string;
  prev_hash: string;
  hash: string;
  chain_version: Generated<number>;
}

export interface AuditHeadsTable {
  org_id: string;
  last_id: number;
  last_hash: string;
}

export interface DocumentTombstonesTable {
  document_id: string;
  org_id: string;
  change_seq: number;
  deleted_at: string;
}

export interface ProvidersTable {
  id: string;
  org_id: string;
  name: string;
  npi: string | null;
  origin: 'roster' | 'document' | 'split';
  merged_into: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProviderIdentifiersTable {
  provider_id: string;
  org_id: string;
  kind: 'dea' | 'license' | 'csr';
  state: Generated<string>;
  value: string;
  origin: string;
}

export interface ProviderMatchesTable {
  document_id: string;
  org_id: string;
  provider_id: string | null;
  evidence: string;
  score: number;
  /** 0 or 1: an integer on both databases so one query text serves both. */
  needs_confirmation: number;
  details_json: string;
  doc_name: string | null;
  doc_npi: string | null;
  doc_dea: string | null;
  doc_id_kind: string | null;
  doc_id_state: string | null;
  doc_id_number: string | null;
  confirmed_by: string | null;
  confirmed_at: string | null;
  matched_change_seq: number;
  matched_at: string;
}

export interface CmeTopicOverridesTable {
  org_id: string;
  provider_id: string;
  activity_key: string;
  topics_json: string;
  set_by: string;
  set_at: string;
}

export interface ExpiryNoticesTable {
  org_id: string;
  user_id: string;
  document_id: string;
  expiration_date: string;
  bucket: string;
  noticed_on: string;
}

export interface LoginAttemptsTable {
  key_hash: string;
  failures: Generated<number>;
  last_failure_at: Generated<number>;
  in_flight: Generated<number>;
  in_flight_until: Generated<number>;
}

/** Every table of the server database, for `Kysely<DatabaseSchema>` on either dialect. */
export interface DatabaseSchema {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  batches: BatchesTable;
  uploads: UploadsTable;
  documents: DocumentsTable;
  extractions: ExtractionsTable;
  jobs: JobsTable;
  counters: CountersTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  document_tombstones: DocumentTombstonesTable;
  providers: ProvidersTable;
  provider_identifiers: ProviderIdentifiersTable;
  provider_matches: ProviderMatchesTable;
  cme_topic_overrides: CmeTopicOverridesTable;
  expiry_notices: ExpiryNoticesTable;
  login_attempts: LoginAttemptsTable;
}
