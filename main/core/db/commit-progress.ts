import type Database from 'better-sqlite3';

/**
 * Runs one transfer-progress transaction (a part's ETag, a file moving between transfer states)
 * with synchronous=NORMAL, then restores FULL. In WAL mode NORMAL commits survive a crash of this
 * process; only a power cut can lose the last few, which means re-sending those parts, never a
 * wrong upload. Queue membership (what the user was told is queued) keeps synchronous=FULL.
 * Why: an fsync per part and per state change blocked the event loop for most of each second
 * on a busy disk, halving small-file throughput.
 */
export function commitProgress<T>(db: Database.Database, fn: () => T): T {
  // Inside an enclosing transaction the safety level cannot change; that transaction commits it.
  if (db.inTransaction) return fn();
  db.pragma('synchronous = NORMAL');
  try {
    return db.transaction(fn)();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
