import { HTTPError, TimeoutError } from 'ky';
import { ErrorBody } from '../../common/api';
import { AppError, ERROR_KINDS, type ErrorKind } from '../../common/errors';
import { unreachableReason } from './network-reason';

/** An AppError that remembers what the retry table needs: HTTP status, Retry-After, the store's error code. */
export class HttpFailure extends AppError {
  constructor(
    kind: ErrorKind,
    message: string,
    readonly status: number | null,
    readonly retryAfterMs: number | null = null,
    readonly storeCode: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(kind, message, options);
  }
}

export function kindForStatus(status: number): ErrorKind {
  if (status === 400 || status === 422) return 'invalid_input';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too_large';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'internal';
}

/** `Retry-After` as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | null {
  if (!value) return null;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

/** Maps whatever ky/fetch threw to an AppError with a kind; an abort stays an AbortError. */
export async function toHttpFailure(err: unknown, what: string): Promise<unknown> {
  if (err instanceof Error && err.name === 'AbortError') return err;
  if (err instanceof TimeoutError)
    return new HttpFailure('network', `${what}: no answer before the deadline`, null, null, null, { cause: err });
  if (err instanceof HTTPError) {
    const res = err.response;
    const text = await res.text().catch(() => '');
    return failureFromAnswer(what, res.status, text, res.headers.get('retry-after'), res.statusText);
  }
  if (err instanceof AppError) return err;
  // fetch rejects with a TypeError ("fetch failed") for refused/reset connections and DNS failures.
  return new HttpFailure('network', `${what}: cannot reach the server: ${unreachableReason(err)}`, null, null, null, {
    cause: err,
  });
}

/**
 * An HTTP error answer as an HttpFailure: the API's JSON error (its code as the kind when known),
 * else the store's S3-style XML error, else the status and the start of the body.
 */
export function failureFromAnswer(
  what: string,
  status: number,
  text: string,
  retryAfter: string | null,
  statusText = '',
): HttpFailure {
  const retryAfterMs = parseRetryAfter(retryAfter);
  const api = ErrorBody.safeParse(safeJson(text));
  if (api.success) {
    const code = api.data.error.code;
    const kind = (ERROR_KINDS as readonly string[]).includes(code) ? (code as ErrorKind) : kindForStatus(status);
    return new HttpFailure(kind, api.data.error.message, status, retryAfterMs);
  }
  // S3-style XML error from the store (part PUTs).
  const storeCode = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? null;
  const storeMessage = /<Message>([^<]+)<\/Message>/.exec(text)?.[1] ?? null;
  const detail = storeMessage ?? (text.slice(0, 200) || statusText);
  return new HttpFailure(
    kindForStatus(status),
    `${what}: HTTP ${status}${detail ? ` (${detail})` : ''}`,
    status,
    retryAfterMs,
    storeCode,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
