/**
 * Sign-in throttling state shared by every API process on one database (server/auth/
 * shared-login-throttle.ts): per key, the failures in the window and the attempts in flight, with a
 * lease so attempts of a process that died stop counting. Keys are stored as SHA-256 of the scope
 * and the email or address, so the table lists no email anyone typed.
 */
export const up = `
CREATE TABLE login_attempts (
  key_hash TEXT PRIMARY KEY,
  failures INTEGER NOT NULL DEFAULT 0,
  last_failure_at INTEGER NOT NULL DEFAULT 0,
  in_flight INTEGER NOT NULL DEFAULT 0,
  in_flight_until INTEGER NOT NULL DEFAULT 0
);
`;
