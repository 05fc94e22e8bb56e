/** PostgreSQL twin of ../../migrations/002-document-tombstones.ts. */
export const up = `
CREATE TABLE document_tombstones (
  document_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  change_seq BIGINT NOT NULL,
  deleted_at TEXT NOT NULL
);
CREATE INDEX document_tombstones_feed ON document_tombstones(org_id, change_seq);
`;
