import type { Db } from './open';

interface Pending {
  fn: () => unknown;
  durable: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for the API process: write transactions queued in the same event-loop turn run
 * together in ONE SQLite transaction, each inside its own savepoint (better-sqlite3 nests
 * transactions that way), so one fsync (synchronous=FULL, ~4 ms here and it blocks the event
 * loop) covers many requests instead of one each. A failing write rolls back only its savepoint;
 * a failing commit rejects the whole group. Nothing is answered before its commit is durable,
 * except writes run with `durable: false`: a group of only those commits without the fsync
 * (synchronous=NORMAL for that commit; WAL stays consistent, a power cut may drop them, and the
 * next durable commit's fsync covers them too).
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly db: Db) {}

  /**
   * Runs `fn` inside a transaction committed with the current group; resolves after the commit.
   * `durable: false` for writes a client recovers from losing (an upload registration: its
   * complete then answers 404 and the client registers again), never for documents or jobs.
   */
  run<T>(fn: () => T, opts: { durable?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, durable: opts.durable !== false, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.pending;
    this.pending = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const skipFsync = group.every((item) => !item.durable);
    if (skipFsync) this.db.pragma('synchronous = NORMAL');
    try {
      this.db
        .transaction(() => {
          for (const item of group) {
            try {
              outcomes.push({ ok: true, value: this.db.transaction(item.fn)() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (err) {
      for (const item of group) item.reject(err);
      return;
    } finally {
      if (skipFsync) this.db.pragma('synchronous = FULL');
    }
    group.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    });
  }
}
