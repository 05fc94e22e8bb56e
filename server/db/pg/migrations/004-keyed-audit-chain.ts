/**
 * PostgreSQL twin of ../../migrations/004-keyed-audit-chain.ts. The same two triggers by name, on
 * one plpgsql function; PostgreSQL's TRUNCATE fires no row trigger, so a third, statement-level
 * trigger refuses it too (SQLite has no TRUNCATE: its DELETE trigger covers every removal).
 */
export const up = `
ALTER TABLE audit_events ADD COLUMN chain_version INTEGER NOT NULL DEFAULT 1;
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'audit_events is append-only: an audit event cannot be changed';
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: an audit event cannot be deleted';
END
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
`;
