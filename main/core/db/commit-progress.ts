import type Database from 'better-sqlite3';

/** The open group of each database: committed at the end of the event-loop turn that opened it. */
const groups = new WeakMap<Database.Database, { timer: NodeJS.Immediate }>();
/** A group whose COMMIT failed: the next progress write reports it (its files fail, as before). */
const failures = new WeakMap<Database.Database, unknown>();
/** Progress writes running now: a flush from inside one (QueueStore.update as its `also`) waits for the group. */
let depth = 0;

/**
 * Runs one transfer-progress write (a part's ETag, a file moving between transfer states) inside a
 * transaction shared by every progress write of the same event-loop turn, committed with
 * synchronous=NORMAL on setImmediate (then FULL is restored).
 *
 * Why grouped: each commit cost ~0.5 ms of the main thread (WAL write, two pragmas) and a small
 * file made three (begin, last part, finish), 3.7 s of a 5,000-file import (issue 17). The files
 * one register or complete answer carries, and the PUT answers read in one poll phase, now share
 * one commit.
 *
 * What survives a SIGKILL: in WAL mode a NORMAL commit survives a crash of this process (only a
 * power cut can lose the last few). A write not yet committed is lost as if the process had died
 * just before it: the commit runs in the same turn's check phase, before any I/O answer (a part's
 * bytes read, a PUT's or complete's answer) is handled, so no step ever builds on an uncommitted
 * one. A complete request may leave before its file's "completing" record commits; lost, the file
 * registers again on resume and the server answers with the document it made (duplicate of its
 * own upload), never a second upload. A file is marked uploaded only from the server's answer.
 * Queue membership and user actions (QueueStore) call flushProgress first and keep FULL.
 */
export function commitProgress<T>(db: Database.Database, fn: () => T): T {
  const failed = failures.get(db);
  if (failed !== undefined) {
    failures.delete(db);
    throw failed;
  }
  // Inside a caller's own transaction the safety level cannot change; that transaction commits it.
  if (db.inTransaction && !groups.has(db)) return fn();
  if (!groups.has(db)) {
    db.pragma('synchronous = NORMAL');
    try {
      db.exec('BEGIN');
    } catch (err) {
      db.pragma('synchronous = FULL');
      throw err;
    }
    groups.set(db, { timer: setImmediate(() => commitGroup(db)) });
  }
  // A savepoint: a write that throws leaves the others of the group intact.
  depth++;
  try {
    return db.transaction(fn)();
  } finally {
    depth--;
  }
}

/** Commits the open progress group now (before a FULL write, a close, or the engine going idle). */
export function flushProgress(db: Database.Database): void {
  const group = groups.get(db);
  if (!group || depth > 0) return;
  clearImmediate(group.timer);
  commitGroup(db);
  const failed = failures.get(db);
  if (failed !== undefined) {
    failures.delete(db);
    throw failed;
  }
}

function commitGroup(db: Database.Database): void {
  if (!groups.delete(db)) return;
  try {
    if (db.inTransaction) db.exec('COMMIT');
  } catch (err) {
    failures.set(db, err);
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } catch {
      // The connection rolled back by itself.
    }
  } finally {
    if (db.open) db.pragma('synchronous = FULL');
  }
}
