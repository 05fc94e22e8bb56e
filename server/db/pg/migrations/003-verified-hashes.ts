/** PostgreSQL twin of ../../migrations/003-verified-hashes.ts (same steps, same statements). */
export const up = `
ALTER TABLE documents ADD COLUMN sha256_verified_at TEXT;
UPDATE documents SET sha256_verified_at = updated_at WHERE id IN (SELECT document_id FROM extractions);
DROP INDEX documents_by_hash;
CREATE INDEX documents_by_hash ON documents(org_id, sha256);
`;
