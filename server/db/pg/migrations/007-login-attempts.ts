/** PostgreSQL twin of ../../migrations/007-login-attempts.ts (epoch-ms columns as bigint). */
export const up = `
CREATE TABLE login_attempts (
  key_hash TEXT PRIMARY KEY,
  failures INTEGER NOT NULL DEFAULT 0,
  last_failure_at BIGINT NOT NULL DEFAULT 0,
  in_flight INTEGER NOT NULL DEFAULT 0,
  in_flight_until BIGINT NOT NULL DEFAULT 0
);
`;
