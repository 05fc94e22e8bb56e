import { describe, expect, it } from 'vitest';
import { AppError } from '../../../common/errors';
import { HttpFailure, parseRetryAfter } from '../../../main/core/http-failure';
import { decideRetry, fullJitterDelay, MAX_BACKOFF_ATTEMPTS } from '../../../main/core/upload/retry-table';

const http = (status: number, retryAfterMs: number | null = null): HttpFailure =>
  new HttpFailure('internal', `HTTP ${status}`, status, retryAfterMs);

describe('retry table', () => {
  it('goes offline on network errors (no attempt limit: the engine waits for the server)', () => {
    expect(decideRetry(new HttpFailure('network', 'refused', null), 50, 'api')).toEqual({ action: 'offline' });
  });

  it('waits for health on 502/503/504 (the server lost its store or database), backs off with full jitter on other 5xx and 429, and gives up after the limit', () => {
    expect(decideRetry(http(504), 0, 'store')).toEqual({ action: 'offline' });
    const lo = decideRetry(http(503), 3, 'api', () => 0);
    expect(decideRetry(http(500), 3, 'api', () => 0)).toEqual({ action: 'backoff', delayMs: 0 });
    const hi = decideRetry(http(500), 3, 'store', () => 0.999999);
    expect(lo).toEqual({ action: 'offline' });
    expect(hi.action === 'backoff' && hi.delayMs).toBe(3999);
    expect(decideRetry(http(429), 0, 'api', () => 0.5)).toEqual({ action: 'backoff', delayMs: 250 });
    const last = decideRetry(http(500), MAX_BACKOFF_ATTEMPTS, 'api');
    expect(last.action).toBe('fail');
    expect(last.action === 'fail' && last.error.message).toMatch(/HTTP 500.*gave up/);
  });

  it('honours Retry-After', () => {
    expect(decideRetry(http(429, 7000), 0, 'api', () => 0)).toEqual({ action: 'backoff', delayMs: 7000 });
    expect(decideRetry(http(503, 2000), 0, 'api', () => 0)).toEqual({ action: 'backoff', delayMs: 2000 });
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('re-signs a 403 from the store, signs in again on a 401 from the API, fails other 4xx with the server message', () => {
    expect(decideRetry(http(403), 0, 'store')).toEqual({ action: 'resign' });
    expect(decideRetry(http(401), 0, 'api')).toEqual({ action: 'reauth' });
    const bad = new HttpFailure('invalid_input', 'sizeBytes must be positive', 400);
    expect(decideRetry(bad, 0, 'api')).toEqual({ action: 'fail', error: bad });
    expect(decideRetry(http(403), 0, 'api').action).toBe('fail');
    expect(decideRetry(new AppError('conflict', 'file changed'), 0, 'store').action).toBe('fail');
  });

  it('caps the jitter window', () => {
    expect(fullJitterDelay(40, () => 0.999999)).toBeLessThan(30_000);
  });
});
