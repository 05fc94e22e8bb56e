/**
 * Deleted documents stay visible to the change feed as tombstones, so a client mirror learns
 * that a batch delete removed them instead of showing them forever.
 */
export const up = `
CREATE TABLE document_tombstones (
  document_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  change_seq INTEGER NOT NULL,
  deleted_at TEXT NOT NULL
);
CREATE INDEX document_tombstones_feed ON document_tombstones(org_id, change_seq);
`;
