/**
 * A document is a deduplication target only once its stored bytes were checked against the
 * SHA-256 its uploader declared: an uploader could declare the hash of a file it does not have,
 * store other bytes, and have the genuine file answered "duplicate" of them. Complete now checks
 * the bytes (sha256_verified_at); documents from before were checked by the worker, before it
 * extracted them (those with an extraction). Several documents may now share a hash (a failed
 * one, or one not yet verified, and a later verified upload), so the index is no longer unique.
 */
export const up = `
ALTER TABLE documents ADD COLUMN sha256_verified_at TEXT;
UPDATE documents SET sha256_verified_at = updated_at WHERE id IN (SELECT document_id FROM extractions);
DROP INDEX documents_by_hash;
CREATE INDEX documents_by_hash ON documents(org_id, sha256);
`;
