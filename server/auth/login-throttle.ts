/**
 * Sign-in throttling rules per key (an account, an address); the state lives in the database
 * (shared-login-throttle.ts), so every API process sharing it applies one count. Up to `free`
 * attempts pass within the window; past them, attempts are not refused for the whole window (that
 * let anyone lock a user out, the right password included) but spaced out: one attempt at a time,
 * each only after a delay that doubles with every failure past the free ones (capped at the
 * window). A user who waits the delay out and types the right password gets in; a guesser gets a
 * handful of tries an hour. Failures are forgotten only after a whole window without one (not one
 * by one as they age: that would let the delay shrink back while a guesser keeps going).
 *
 * An attempt counts from the moment it starts, before its password is checked: counting only
 * once a check had failed let 25 concurrent guesses at one account all be checked while the count
 * still read zero. Each admitted attempt ends with failed() (it stays counted as a failure),
 * settled() (never checked, or right for an address: uncounted), or reset() (the account signed
 * in: its failures are forgotten).
 */
export interface KeyState {
  /** Failures since the key was last quiet for a whole window. */
  failures: number;
  lastFailureAt: number;
  /** Attempts admitted and not yet ended. */
  inFlight: number;
}

export type ThrottleAnswer = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** The limits of one throttle (the account limit or the address limit). */
export interface ThrottlePolicy {
  windowMs: number;
  free: number;
  firstDelayMs: number;
}

/** The wait after `failures` failures in the window: none within the free ones, then doubling. */
export function throttleDelayMs(p: ThrottlePolicy, failures: number): number {
  if (failures < p.free) return 0;
  return Math.min(p.windowMs, p.firstDelayMs * 2 ** Math.min(30, failures - p.free));
}

/** The state as of `now`: failures are forgotten only after a whole window without one. */
export function currentState(p: ThrottlePolicy, s: KeyState, now: number): KeyState {
  return s.failures > 0 && now - s.lastFailureAt > p.windowMs ? { ...s, failures: 0 } : { ...s };
}

/** Whether an attempt may start now; when it may, the caller counts it (inFlight + 1) in the same step. */
export function admitAttempt(p: ThrottlePolicy, s: KeyState, now: number): ThrottleAnswer {
  const used = s.failures + s.inFlight;
  if (used < p.free) return { admitted: true };
  // Past the free attempts, one at a time: the one in flight may fail and lengthen the wait.
  if (s.inFlight > 0) return { admitted: false, retryAfterSeconds: toSeconds(throttleDelayMs(p, used)) };
  const readyAt = s.lastFailureAt + throttleDelayMs(p, s.failures);
  if (now < readyAt) return { admitted: false, retryAfterSeconds: toSeconds(readyAt - now) };
  return { admitted: true };
}

export function toSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
