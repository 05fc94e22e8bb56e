/**
 * The keyed audit chain (audit-log.ts): each row says which chain rule wrote it. Rows from before
 * this migration keep version 1 (plain SHA-256) and still verify; new rows are version 2
 * (HMAC-SHA256 under a key kept outside the database). Triggers make the table append-only for
 * every connection, so no code path (or injected SQL) can change or remove an event.
 */
export const up = `
ALTER TABLE audit_events ADD COLUMN chain_version INTEGER NOT NULL DEFAULT 1;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: an audit event cannot be changed'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: an audit event cannot be deleted'); END;
`;
