/**
 * PostgreSQL twin of ../../migrations/005-providers.ts. needs_confirmation stays an integer (0/1)
 * rather than boolean so the provider queries read and write it the same way on both databases.
 */
export const up = `
CREATE TABLE providers (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  npi TEXT,
  origin TEXT NOT NULL CHECK (origin IN ('roster', 'document', 'split')),
  merged_into TEXT REFERENCES providers(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX providers_org ON providers(org_id, merged_into);
CREATE UNIQUE INDEX providers_org_npi ON providers(org_id, npi) WHERE npi IS NOT NULL AND merged_into IS NULL;
CREATE TABLE provider_identifiers (
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  org_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('dea', 'license', 'csr')),
  state TEXT NOT NULL DEFAULT '',
  value TEXT NOT NULL,
  origin TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, state, value, provider_id)
);
CREATE TABLE provider_matches (
  document_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  provider_id TEXT REFERENCES providers(id),
  evidence TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  needs_confirmation INTEGER NOT NULL,
  details_json TEXT NOT NULL,
  doc_name TEXT,
  doc_npi TEXT,
  doc_dea TEXT,
  doc_id_kind TEXT,
  doc_id_state TEXT,
  doc_id_number TEXT,
  confirmed_by TEXT,
  confirmed_at TEXT,
  matched_change_seq BIGINT NOT NULL,
  matched_at TEXT NOT NULL
);
CREATE INDEX provider_matches_provider ON provider_matches(org_id, provider_id);
CREATE INDEX provider_matches_flagged ON provider_matches(org_id, needs_confirmation);
CREATE TABLE cme_topic_overrides (
  org_id TEXT NOT NULL,
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  activity_key TEXT NOT NULL,
  topics_json TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at TEXT NOT NULL,
  PRIMARY KEY (provider_id, activity_key)
);
CREATE TABLE expiry_notices (
  org_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  expiration_date TEXT NOT NULL,
  bucket TEXT NOT NULL,
  noticed_on TEXT NOT NULL,
  PRIMARY KEY (user_id, document_id, expiration_date, bucket)
);
`;
