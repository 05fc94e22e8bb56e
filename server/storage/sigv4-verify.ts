/**
 * AWS Signature V4 check for the embedded store. s3rver verifies only V2 signatures and accepts
 * any V4 signature whose access key exists, so without this a client holding one presigned URL
 * could forge requests for any key. Checks header-signed requests (the server's SDK calls,
 * aws-cli, rclone) and presigned URLs (the clients' part PUTs and content GETs).
 * Like S3, every `x-amz-*` header a request carries must be one it signed: an unsigned one (say
 * x-amz-copy-source added to a presigned PUT) would change what the request does without the
 * signer having agreed to it.
 * Not checked: that the body matches x-amz-content-sha256 (that would mean buffering bodies).
 */
import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_CLOCK_SKEW_MS = 15 * 60_000;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export interface SignedRequest {
  method: string;
  /** Raw request target: path and query exactly as received. */
  url: string;
  headers: IncomingHttpHeaders;
}

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const hmac = (key: crypto.BinaryLike, s: string) => crypto.createHmac('sha256', key).update(s).digest();
const EMPTY_SHA256 = sha256('');

/**
 * Signing keys by secret and scope: deriving one takes four HMACs, and it changes once a day per
 * region. Bounded: a flood of made-up scopes clears it rather than growing it.
 */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 32;

function signingKey(
  secret: string,
  { scopeDate, region, service }: Pick<Parts, 'scopeDate' | 'region' | 'service'>,
): Buffer {
  const id = `${scopeDate}/${region}/${service}/${secret}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = [scopeDate, region, service, 'aws4_request'].reduce<Buffer>(
      (k, s) => hmac(k, s),
      Buffer.from(`AWS4${secret}`),
    );
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

function parseQuery(raw: string): Array<[string, string]> {
  if (!raw) return [];
  return raw
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, '%20'));
      return i < 0 ? [decode(pair), ''] : [decode(pair.slice(0, i)), decode(pair.slice(i + 1))];
    });
}

function canonicalQuery(pairs: Array<[string, string]>): string {
  return pairs
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function parseAmzDate(s: string | undefined): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s ?? '');
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : null;
}

interface Parts {
  accessKeyId: string;
  scope: string;
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  payloadHash: string;
  query: Array<[string, string]>;
}

/**
 * `credential` is `AKID/20261128/us-east-1/s3/aws4_request`, as the header and the query both
 * carry it. Every Parts is built here, in one shape (spreads into a literal gave V8 a new hidden
 * class to build on most calls: perf showed it in the store thread's profile).
 */
function partsOf(
  credential: string,
  signedHeaders: string,
  signature: string,
  amzDate: string,
  payloadHash: string,
  query: Array<[string, string]>,
): Parts {
  const [accessKeyId = '', scopeDate = '', region = '', service = '', term = ''] = credential.split('/');
  const scope = `${scopeDate}/${region}/${service}/${term}`;
  return {
    accessKeyId,
    scope,
    scopeDate,
    region,
    service,
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    payloadHash,
    query,
  };
}

function fromHeader(req: SignedRequest, query: Array<[string, string]>): Parts | string {
  const auth = headerValue(req.headers, 'authorization') ?? '';
  const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
    auth.trim(),
  );
  if (!m) return 'Only AWS Signature Version 4 is accepted.';
  const amzDate = headerValue(req.headers, 'x-amz-date') ?? '';
  const at = parseAmzDate(amzDate);
  if (at === null || Math.abs(Date.now() - at) > MAX_CLOCK_SKEW_MS)
    return 'The request time is missing or too far from the server clock.';
  return partsOf(m[1]!, m[2]!, m[3]!, amzDate, headerValue(req.headers, 'x-amz-content-sha256') ?? EMPTY_SHA256, query);
}

function fromQuery(query: Array<[string, string]>): Parts | string {
  const get = (k: string) => query.find(([name]) => name === k)?.[1];
  if (get('X-Amz-Algorithm') !== ALGORITHM) return 'Only AWS Signature Version 4 is accepted.';
  const amzDate = get('X-Amz-Date') ?? '';
  const at = parseAmzDate(amzDate);
  const expires = Number(get('X-Amz-Expires'));
  if (at === null || !Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS)
    return 'The presigned URL has no valid date or expiry.';
  if (Date.now() > at + expires * 1000) return 'Request has expired.';
  if (at - Date.now() > MAX_CLOCK_SKEW_MS) return 'The presigned URL is dated in the future.';
  const signed = query.filter(([k]) => k !== 'X-Amz-Signature');
  return partsOf(
    get('X-Amz-Credential') ?? '',
    get('X-Amz-SignedHeaders') ?? '',
    get('X-Amz-Signature') ?? '',
    amzDate,
    'UNSIGNED-PAYLOAD',
    signed,
  );
}

/** Why a request is refused, as S3 words it: the error code and its message. */
export interface SigV4Refusal {
  code: 'AccessDenied' | 'SignatureDoesNotMatch';
  message: string;
}

const mismatch = (message: string): SigV4Refusal => ({ code: 'SignatureDoesNotMatch', message });
const denied = (message: string): SigV4Refusal => ({ code: 'AccessDenied', message });

/** The request's `x-amz-*` headers that its signature does not cover. */
export function unsignedAmzHeaders(headers: IncomingHttpHeaders, signedHeaders: readonly string[]): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('x-amz-') && !signedHeaders.includes(name));
}

/** The request target's query parameter names, decoded as the signature check and s3rver read them (none when the query is malformed). */
export function queryParamNames(url: string): string[] {
  const q = url.indexOf('?');
  try {
    return q < 0 ? [] : parseQuery(url.slice(q + 1)).map(([k]) => k);
  } catch {
    return [];
  }
}

/** Null when the signature is valid for a known key and covers every x-amz-* header, else why the request is refused. */
export function verifySigV4(
  req: SignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
): SigV4Refusal | null {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  let query: Array<[string, string]>;
  try {
    query = parseQuery(q < 0 ? '' : req.url.slice(q + 1));
  } catch {
    return mismatch('The query string is not valid.');
  }
  const parts = query.some(([k]) => k === 'X-Amz-Signature') ? fromQuery(query) : fromHeader(req, query);
  if (typeof parts === 'string') return /expired/.test(parts) ? denied(parts) : mismatch(parts);
  const secret = secretFor(parts.accessKeyId);
  if (!secret) return mismatch('The access key is not known.');
  if (!parts.signedHeaders.includes('host') || parts.amzDate.slice(0, 8) !== parts.scopeDate)
    return mismatch('The signature scope is not valid.');
  const unsigned = unsignedAmzHeaders(req.headers, parts.signedHeaders);
  // S3's own wording; it names the headers so the sender can sign them.
  if (unsigned.length)
    return denied(`There were headers present in the request which were not signed: ${unsigned.join(', ')}.`);
  const headers = parts.signedHeaders
    .map((h) => `${h}:${(headerValue(req.headers, h) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonical = [
    req.method,
    path,
    canonicalQuery(parts.query),
    headers,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
  const stringToSign = [ALGORITHM, parts.amzDate, parts.scope, sha256(canonical)].join('\n');
  const expected = hmac(signingKey(secret, parts), stringToSign).toString('hex');
  const given = Buffer.from(parts.signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, Buffer.from(expected)))
    return mismatch('The request signature does not match.');
  return null;
}
