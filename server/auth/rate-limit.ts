/**
 * Counts login attempts per key (an account, an address) in a sliding window, in memory: one
 * server process owns the API. An attempt counts from the moment it starts, before its password
 * is checked: counting only once a check had failed let 25 concurrent guesses at one account all
 * be checked while the count still read zero. A check ends in one of two ways: it failed, and the
 * attempt stays counted; or it did not (the password was right, or it was never checked), and
 * the attempt is forgotten, so a user who types the password right is never slowed by their own
 * sign-in.
 */
export class AttemptLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly max: number,
  ) {}

  /**
   * Counts an attempt for `key` now and returns its token for forget(), or returns null when the
   * key already has `max` attempts in the window. Synchronous on purpose: the check and the count
   * happen in one step, so no concurrent request can slip between them.
   */
  tryCount(key: string, now = Date.now()): number | null {
    const list = this.recent(key, now);
    if (list.length >= this.max) return null;
    list.push(now);
    this.attempts.set(key, list);
    if (this.attempts.size > 100_000) this.prune(now);
    return now;
  }

  /** Seconds until the oldest attempt in the window expires. */
  retryAfterSeconds(key: string, now = Date.now()): number {
    const oldest = this.recent(key, now)[0] ?? now;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  /** Uncounts one attempt tryCount counted (its password was right, or was never checked). */
  forget(key: string, token: number): void {
    const list = this.attempts.get(key);
    const i = list?.indexOf(token) ?? -1;
    if (i >= 0) list!.splice(i, 1);
  }

  /** Forgets every attempt for `key` (the account signed in with its password). */
  reset(key: string): void {
    this.attempts.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const list = (this.attempts.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length === 0) this.attempts.delete(key);
    return list;
  }

  private prune(now: number): void {
    for (const key of [...this.attempts.keys()]) this.recent(key, now);
  }
}
