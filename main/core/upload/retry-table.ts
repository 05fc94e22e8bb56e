import { AppError } from '../../../common/errors';
import { HttpFailure } from '../http-failure';

/** What to do after a failed request. */
export type RetryDecision =
  | { action: 'offline' }
  | { action: 'backoff'; delayMs: number }
  | { action: 'resign' }
  | { action: 'reauth' }
  | { action: 'fail'; error: AppError };

export const MAX_BACKOFF_ATTEMPTS = 8;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/** "Full jitter" (AWS architecture blog): uniform in [0, min(cap, base * 2^attempt)]. */
export function fullJitterDelay(
  attempt: number,
  random: () => number = Math.random,
  baseMs = BASE_DELAY_MS,
  capMs = MAX_DELAY_MS,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/**
 * The retry table. `attempt` counts previous backoffs of this request; `target` says whether the
 * request went to the API or straight to the store (a 403 from the store means the signature
 * expired or was refused: sign again).
 */
export function decideRetry(
  err: unknown,
  attempt: number,
  target: 'api' | 'store',
  random: () => number = Math.random,
): RetryDecision {
  if (!(err instanceof AppError))
    return { action: 'fail', error: new AppError('internal', err instanceof Error ? err.message : String(err)) };
  const status = err instanceof HttpFailure ? err.status : null;
  if (status === null) {
    if (err.kind === 'network') return { action: 'offline' };
    return { action: 'fail', error: err };
  }
  // The server cannot reach its store or database right now: wait for /health, not a retry count.
  if (
    (status === 502 || status === 503 || status === 504) &&
    !(err instanceof HttpFailure && err.retryAfterMs !== null)
  )
    return { action: 'offline' };
  if (status === 429 || status >= 500) {
    if (attempt >= MAX_BACKOFF_ATTEMPTS)
      return {
        action: 'fail',
        error: new AppError(err.kind, `${err.message} (gave up after ${attempt + 1} attempts)`),
      };
    const retryAfter = err instanceof HttpFailure ? err.retryAfterMs : null;
    // Honour the server's Retry-After, spread a little so every waiter does not return at once.
    const delayMs =
      retryAfter !== null ? retryAfter + fullJitterDelay(0, random, 250, 250) : fullJitterDelay(attempt, random);
    return { action: 'backoff', delayMs };
  }
  if (status === 403 && target === 'store') return { action: 'resign' };
  if (status === 401 && target === 'api') return { action: 'reauth' };
  return { action: 'fail', error: err };
}
