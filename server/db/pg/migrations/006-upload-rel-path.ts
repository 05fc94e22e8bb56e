/** PostgreSQL twin of ../../migrations/006-upload-rel-path.ts. */
export const up = `
ALTER TABLE uploads ADD COLUMN rel_path TEXT;
ALTER TABLE documents ADD COLUMN rel_path TEXT;
`;
