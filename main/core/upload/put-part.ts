import { request } from 'undici';
import { partTimeoutMs } from '../api-client';
import { HttpFailure, kindForStatus, parseRetryAfter } from '../http-failure';
import { unreachableReason } from '../network-reason';
import { desktopDispatcher } from '../undici-fetch';

const WHAT = 'Sending a part';

/**
 * PUTs one part's bytes to its presigned URL with undici's request() and returns the store's
 * ETag. Why not ApiClient.putPart (ky over undiciFetch): ky builds a WHATWG Request, Headers,
 * Response and two abort signals per call, which for a 350 kB body cost more of the main
 * thread than the body itself (issue 17, client CPU profile of 403 files). Failures map as
 * toHttpFailure maps ky's: a status to its kind with the store's XML code (the retry table re-signs
 * on 403, backs off on 5xx), no answer before the deadline or no connection to kind `network`.
 */
export async function putPart(url: string, body: Uint8Array, signal: AbortSignal): Promise<string> {
  signal.throwIfAborted();
  const deadline = new AbortController();
  const timeoutMs = partTimeoutMs(body.byteLength);
  const timer = setTimeout(() => deadline.abort(new Error('deadline')), timeoutMs);
  const onAbort = (): void => deadline.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await request(url, {
      dispatcher: desktopDispatcher,
      method: 'PUT',
      body,
      signal: deadline.signal,
    });
    if (res.statusCode >= 200 && res.statusCode < 300) {
      await res.body.dump();
      const etag = res.headers.etag;
      if (typeof etag !== 'string' || !etag)
        throw new HttpFailure('internal', 'The store accepted a part but returned no ETag', res.statusCode);
      return etag;
    }
    const text = await res.body.text().catch(() => '');
    const retryAfter = res.headers['retry-after'];
    throw storeFailure(res.statusCode, text, typeof retryAfter === 'string' ? retryAfter : null);
  } catch (err) {
    if (err instanceof HttpFailure) throw err;
    if (signal.aborted) throw signal.reason;
    if (deadline.signal.aborted)
      throw new HttpFailure('network', `${WHAT}: no answer before the deadline`, null, null, null, { cause: err });
    throw new HttpFailure('network', `${WHAT}: cannot reach the server: ${unreachableReason(err)}`, null, null, null, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** The store's S3-style XML error answer, as toHttpFailure words it. */
function storeFailure(status: number, text: string, retryAfter: string | null): HttpFailure {
  const storeCode = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? null;
  const storeMessage = /<Message>([^<]+)<\/Message>/.exec(text)?.[1] ?? null;
  const detail = storeMessage ?? text.slice(0, 200);
  return new HttpFailure(
    kindForStatus(status),
    `${WHAT}: HTTP ${status}${detail ? ` (${detail})` : ''}`,
    status,
    parseRetryAfter(retryAfter),
    storeCode,
  );
}
