/**
 * The pg-boss deployment's outcome per finished extraction job (server/jobs/pg-boss-queue.ts): its
 * primary key, pg-boss's job id, makes a second outcome for one job impossible. PostgreSQL only: the
 * embedded SQLite queue keeps its outcome on its jobs row, so SQLite's 008 creates nothing (the
 * parity test lists this table as a deliberate difference).
 *
 * In public, not in pg-boss's schema: that schema is named per start (PgBossQueueOptions.schema)
 * and installed by pg-boss after the migrations run; this is credmate's table, keyed by pg-boss's id.
 * A migration rather than a CREATE at queue start, so migratePg's lock orders it among processes
 * started together. IF NOT EXISTS: a database whose queue started before this migration has it.
 */
export const up = `
CREATE TABLE IF NOT EXISTS credmate_job_outcomes (
  job_id uuid PRIMARY KEY,
  document_id text NOT NULL,
  fencing_token integer NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('done', 'dead')),
  finished_at timestamptz NOT NULL DEFAULT now()
);
`;
