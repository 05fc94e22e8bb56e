/**
 * True when a write failed on a unique key (or primary key), on either database: PostgreSQL's
 * SQLSTATE 23505 or better-sqlite3's SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY. Callers turn it into a
 * conflict that names what already exists; another process may have written it a moment earlier.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
