import type Database from 'better-sqlite3';

/** The open group of each database: committed at the end of the event-loop turn that opened it. */
const groups = new WeakMap<Database.Database, { timer: NodeJS.Immediate }>();
/** A group whose COMMIT failed: the next progress write reports it (its files fail, as before). */
const failures = new WeakMap<Database.Database, unknown>();
/** Progress writes running now: a flush from inside one (QueueStore.update as its `also`) waits for the group. */
let depth = 0;
/** Per database: who must hear that an open group's writes were rolled back (the engine requeues its files). */
const lostListeners = new WeakMap<Database.Database, Set<(err: unknown) => void>>();
/** Errors thrown by the write whose failure rolled back its whole group (isGroupLoss). */
const lossErrors = new WeakSet<object>();

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
 * What survives a SIGKILL: in WAL mode a NORMAL commit survives a crash of this process, because
 * the commit is in the WAL file the moment COMMIT returns. It does not survive a power loss or an OS
 * crash: NORMAL syncs the WAL only at a checkpoint, so every commit since the last WAL sync can be
 * lost (not just the last one), possibly many seconds of progress. What that costs: lost ETags or
 * states are sent again on resume; a lost uploads row (or a lost 'completing'/'uploaded' state)
 * makes the file register again, and the server, which holds the one copy already completed,
 * answers duplicate: without its uploads row the file is then recorded as `duplicate`, not
 * `uploaded` (no second copy is stored; only the label is wrong). A write not yet committed is
 * lost as if the process had died just before it: the commit runs in the same turn's check phase, before any I/O answer (a part's
 * bytes read, a PUT's or complete's answer) is handled, so no step ever builds on an uncommitted
 * one. A complete request may leave before its file's "completing" record commits; lost, the file
 * registers again on resume and the server answers with the document it made (duplicate of its
 * own upload), never a second upload. A file is marked uploaded only from the server's answer.
 * Queue membership and user actions (QueueStore), client settings and the documents mirror call
 * flushProgress first and keep FULL.
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
  } catch (err) {
    // SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM (and a trigger's RAISE(ROLLBACK)) roll back the whole
    // open transaction, not just the savepoint: every write of the group is gone. Only this caller
    // sees the error, so the others must hear it here, or their files go on as if recorded.
    if (groups.has(db) && !db.inTransaction) groupLost(db, err, false);
    throw err;
  } finally {
    depth--;
  }
}

/**
 * Calls `fn` whenever an open group's writes are rolled back (a failed COMMIT, or a write whose error
 * rolled back the whole transaction), so whoever made them can requeue their files. Returns the
 * unsubscribe function.
 */
export function onProgressLost(db: Database.Database, fn: (err: unknown) => void): () => void {
  let set = lostListeners.get(db);
  if (!set) lostListeners.set(db, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

/** True for the error of the write that rolled back its whole group (that write's file fails; the rest requeue). */
export function isGroupLoss(err: unknown): boolean {
  return typeof err === 'object' && err !== null && lossErrors.has(err);
}

/**
 * The open group was rolled back. A failed COMMIT is also reported to the next progress write (its
 * file fails, so a disk that stays full ends the import instead of requeueing forever); a failed
 * write was already reported to its own caller, and is recorded only when no one listens.
 */
function groupLost(db: Database.Database, err: unknown, commitFailed: boolean): void {
  const group = groups.get(db);
  if (group) clearImmediate(group.timer);
  groups.delete(db);
  if (db.open) db.pragma('synchronous = FULL');
  const listeners = [...(lostListeners.get(db) ?? [])];
  if (!commitFailed && typeof err === 'object' && err !== null) lossErrors.add(err);
  if (commitFailed || listeners.length === 0) failures.set(db, err);
  for (const l of listeners) l(err);
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
  if (!groups.has(db)) return;
  try {
    if (db.inTransaction) db.exec('COMMIT');
  } catch (err) {
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } catch {
      // The connection rolled back by itself.
    }
    groupLost(db, err, true);
    return;
  }
  groups.delete(db);
  if (db.open) db.pragma('synchronous = FULL');
}
