import { BUSY_TIMEOUT_MS, type Db } from './open';
import { WalSync } from './wal-sync';

interface Pending {
  fn: () => unknown;
  durable: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Makes everything committed so far to the database's WAL durable. */
export type SyncWal = () => Promise<void>;

/**
 * A group is committed at the end of the event loop's turn, or earlier once its first write has
 * waited this long: under a burst one turn handles many requests, and the first of them would
 * otherwise wait for the last (figures in docs/performance.md).
 */
const MAX_GROUP_WAIT_MS = 2;
/**
 * The connection's settings while a group commits, and after. One exec each, not two pragma()
 * calls: pragma() builds a statement object and a result array per call, four per flush, i.e. per
 * event-loop turn with a write (issue 17). Not prepared once: SQLite applies these pragmas when it
 * compiles them, so a cached statement would not set them again.
 */
const ENTER_GROUP = 'PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 0';
const LEAVE_GROUP = `PRAGMA synchronous = FULL; PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`;
/** How soon a group that found the write lock taken (a worker process's transaction) tries again. */
const LOCKED_RETRY_MS = 1;

/**
 * Group commit for the API process: write transactions queued in the same event-loop turn (or
 * within MAX_GROUP_WAIT_MS of a busy one) run together in ONE SQLite transaction, each inside its
 * own savepoint (better-sqlite3 nests transactions that way). A failing write rolls back only its
 * savepoint; a failing commit rejects the whole group.
 *
 * The commit itself runs at synchronous=NORMAL (frames written to the WAL, no fsync), and a durable
 * write is answered only after an fdatasync of the WAL file that started after its commit: what
 * synchronous=FULL does, but on a thread of its own instead of blocking the event loop
 * (wal-sync.ts), and one fsync covers every group committed while the previous one ran. Each write
 * first polls for syncs finished meanwhile, so a busy loop answers its writers between two
 * requests. While another process (an extraction worker) holds the database's write lock, a group
 * does not wait for it inside SQLite's busy handler, which sleeps on the event loop and so stalls
 * every request in flight: it tries again LOCKED_RETRY_MS later, and the loop goes on serving
 * meanwhile. (What those stalls and the sync thread measured: docs/performance.md, "Server write
 * path".) Readers may see a durable write a moment before it is on disk; its writer is never told
 * before. `durable: false` writes (an upload registration: a client recovers from losing it) skip
 * the wait; the next fsync covers them too.
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private scheduled = false;
  private groupStartedAt = 0;
  private syncWaiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  private syncing = false;
  /** A group of durable writes held while an fsync ran (see deferWhileSyncing): the sync loop flushes it next. */
  private deferred = false;
  private lockedRetry: NodeJS.Timeout | null = null;
  private readonly syncWal: SyncWal;
  private readonly wal?: WalSync;
  /**
   * The group's transaction and each item's savepoint, wrapped once: `db.transaction(fn)` builds
   * five functions per call, and was called once per flush and once per item.
   */
  private readonly groupTransaction: (group: Pending[], outcomes: Outcome[], state: { began: boolean }) => void;

  /** `syncWal` for tests; by default an fdatasync of the database's -wal file on its own thread (wal-sync.ts). */
  constructor(
    private readonly db: Db,
    syncWal?: SyncWal,
  ) {
    if (syncWal) this.syncWal = syncWal;
    else {
      const wal = new WalSync(`${db.name}-wal`);
      this.wal = wal;
      this.syncWal = () => wal.sync();
    }
    const inSavepoint = db.transaction((fn: () => unknown) => fn());
    this.groupTransaction = db.transaction((group: Pending[], outcomes: Outcome[], state: { began: boolean }) => {
      state.began = true;
      for (const item of group) {
        try {
          outcomes.push({ ok: true, value: inSavepoint(item.fn) });
        } catch (error) {
          // Some errors (disk full, I/O, out of memory) roll back the whole group's transaction,
          // not only this write's savepoint: then no write of the group may commit or be
          // answered as written, so the group is refused as one.
          if (!db.inTransaction) throw error;
          outcomes.push({ ok: false, error });
        }
      }
    }).immediate;
  }

  /** After the last write: stops the sync thread and releases the WAL file handle. */
  async close(): Promise<void> {
    await this.wal?.close();
  }

  /**
   * Runs `fn` inside a transaction committed with the current group; resolves after the commit
   * is durable (or, with `durable: false`, once it is committed). Never `durable: false` for
   * documents or jobs.
   */
  run<T>(fn: () => T, opts: { durable?: boolean } = {}): Promise<T> {
    this.wal?.poll();
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, durable: opts.durable !== false, resolve: resolve as (v: unknown) => void, reject });
      if (this.pending.length === 1) this.groupStartedAt = performance.now();
      else if (performance.now() - this.groupStartedAt >= MAX_GROUP_WAIT_MS) this.flush();
      if (!this.scheduled && !this.lockedRetry) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  /**
   * Durable writes that arrive while an fsync runs cannot be answered before the NEXT fsync, which
   * starts only when this one ends: committing them now or just before it makes no difference to
   * when they are answered. Held until then, the writes of the whole fsync's duration share one
   * commit instead of one per event-loop turn: fewer commits, each writing its pages to the WAL
   * once (the commits were most of the API's CPU per small file, issue 17). A group with a
   * non-durable write (a registration, answered on commit) is never held.
   */
  private deferWhileSyncing(group: Pending[]): boolean {
    if (!this.syncing || group.some((item) => !item.durable)) return false;
    this.deferred = true;
    return true;
  }

  /** `afterSync`: the sync loop's flush of a held group, which is not held again. */
  private flush(afterSync = false): void {
    const group = this.pending;
    if (!group.length || this.lockedRetry || (!afterSync && this.deferWhileSyncing(group))) return;
    this.pending = [];
    const outcomes: Outcome[] = [];
    const state = { began: false };
    this.db.exec(ENTER_GROUP);
    try {
      this.groupTransaction(group, outcomes, state);
    } catch (err) {
      if (!state.began && (err as { code?: string }).code === 'SQLITE_BUSY') {
        this.pending = group.concat(this.pending);
        this.lockedRetry = setTimeout(() => {
          this.lockedRetry = null;
          this.flush();
        }, LOCKED_RETRY_MS);
        return;
      }
      for (const item of group) item.reject(err);
      return;
    } finally {
      // Other writers on this connection (outside the group) keep SQLite's own fsync and busy wait.
      this.db.exec(LEAVE_GROUP);
    }
    group.forEach((item, i) => {
      const o = outcomes[i]!;
      if (!o.ok) item.reject(o.error);
      else if (!item.durable) item.resolve(o.value);
      // A failed fsync (a disk error) means the write may not survive a power cut: its writer hears so.
      else this.afterNextSync().then(() => item.resolve(o.value), item.reject);
    });
  }

  /** Resolves after an fsync that started after this call: one runs at a time, each covering every waiter queued before it began. */
  private afterNextSync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.syncWaiters.push({ resolve, reject });
      if (!this.syncing) void this.syncLoop();
    });
  }

  private async syncLoop(): Promise<void> {
    this.syncing = true;
    while (this.syncWaiters.length) {
      const batch = this.syncWaiters;
      this.syncWaiters = [];
      try {
        await this.syncWal();
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
      // The writes held during that fsync: committed now, their waiters keep this loop going.
      if (this.deferred) {
        this.deferred = false;
        try {
          this.flush(true);
        } catch (err) {
          // A flush that throws (a closed handle) must not leave the loop marked running, which
          // would hold every later durable write; the held writes hear why.
          for (const item of this.pending.splice(0)) item.reject(err);
        }
      }
    }
    this.syncing = false;
  }
}
