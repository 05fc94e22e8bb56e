/**
 * Version 8 is PostgreSQL's credmate_job_outcomes (pg/migrations/008-job-outcomes.ts), the pg-boss
 * deployment's table: the embedded SQLite queue keeps each job's outcome on its jobs row, so nothing
 * changes here. The empty step keeps the two migration lists numbered alike (the parity test).
 */
export const up = `SELECT 1;`;
