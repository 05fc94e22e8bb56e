/**
 * Sign-in throttling per key (an account, an address), in memory: one server process owns the
 * API. Up to `free` attempts pass within the window; past them, attempts are not refused for the
 * whole window (that let anyone lock a user out, the right password included) but spaced out:
 * one attempt at a time, each only after a delay that doubles with every failure past the free
 * ones (capped at the window). A user who waits the delay out and types the right password gets
 * in; a guesser gets a handful of tries an hour. Failures are forgotten only after a whole window
 * without one (not one by one as they age: that would let the delay shrink back while a guesser
 * keeps going).
 *
 * An attempt counts from the moment it starts, before its password is checked: counting only
 * once a check had failed let 25 concurrent guesses at one account all be checked while the count
 * still read zero. Each admitted attempt ends with failed() (it stays counted as a failure),
 * settled() (never checked, or right for an address: uncounted), or reset() (the account signed
 * in: its failures are forgotten).
 */
interface KeyState {
  /** Failures since the key was last quiet for a whole window. */
  failures: number;
  lastFailureAt: number;
  /** Attempts admitted and not yet ended. */
  inFlight: number;
}

export type ThrottleAnswer = { admitted: true } | { admitted: false; retryAfterSeconds: number };

export class LoginThrottle {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly windowMs: number,
    private readonly free: number,
    private readonly firstDelayMs: number,
  ) {}

  /** The wait after `failures` failures in the window: none within the free ones, then doubling. */
  delayMs(failures: number): number {
    if (failures < this.free) return 0;
    return Math.min(this.windowMs, this.firstDelayMs * 2 ** Math.min(30, failures - this.free));
  }

  /**
   * Admits and counts an attempt for `key`, or says how long to wait. Synchronous on purpose: the
   * check and the count happen in one step, so no concurrent request can slip between them.
   */
  begin(key: string, now = Date.now()): ThrottleAnswer {
    const s = this.state(key, now);
    const used = s.failures + s.inFlight;
    if (used >= this.free) {
      // Past the free attempts, one at a time: the one in flight may fail and lengthen the wait.
      if (s.inFlight > 0) return { admitted: false, retryAfterSeconds: toSeconds(this.delayMs(used)) };
      const readyAt = s.lastFailureAt + this.delayMs(s.failures);
      if (now < readyAt) return { admitted: false, retryAfterSeconds: toSeconds(readyAt - now) };
    }
    s.inFlight++;
    this.keys.set(key, s);
    if (this.keys.size > 100_000) this.prune(now);
    return { admitted: true };
  }

  /** The attempt's password was wrong: it stays counted, and the next wait grows. */
  failed(key: string, now = Date.now()): void {
    const s = this.state(key, now);
    s.inFlight = Math.max(0, s.inFlight - 1);
    s.failures++;
    s.lastFailureAt = now;
    this.keys.set(key, s);
  }

  /** The attempt ended without counting against the key (never checked; for an address, a right password). */
  settled(key: string, now = Date.now()): void {
    const s = this.state(key, now);
    s.inFlight = Math.max(0, s.inFlight - 1);
    if (s.inFlight === 0 && s.failures === 0) this.keys.delete(key);
  }

  /** The account signed in with its password: its failures are forgotten (other attempts in flight still end). */
  reset(key: string, now = Date.now()): void {
    const s = this.state(key, now);
    s.failures = 0;
    this.settled(key, now);
  }

  private state(key: string, now: number): KeyState {
    const s = this.keys.get(key) ?? { failures: 0, lastFailureAt: 0, inFlight: 0 };
    if (s.failures > 0 && now - s.lastFailureAt > this.windowMs) s.failures = 0;
    return s;
  }

  private prune(now: number): void {
    for (const [key, s] of this.keys) {
      if (s.inFlight === 0 && this.state(key, now).failures === 0) this.keys.delete(key);
    }
  }
}

function toSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
