import ky, { type KyInstance } from 'ky';
import { request } from 'undici';
import type { z } from 'zod';
import {
  API_PREFIX,
  BatchList,
  BatchStats,
  ChangesResponse,
  CompleteUploadsResponse,
  ContentUrlResponse,
  DocumentDetail,
  HealthResponse,
  ListPartsResponse,
  LoginResponse,
  RegisterUploadsResponse,
  ServerLimits,
  SessionUser,
  SignPartsResponse,
  type CompleteUploadsRequest,
  type CreateBatchRequest,
  type RegisterUploadRequest,
  type ReviewRequest,
} from '../../common/api';
import { AppError } from '../../common/errors';
import { failureFromAnswer, HttpFailure, toHttpFailure } from './http-failure';
import { desktopDispatcher, undiciFetch } from './undici-fetch';

/** Deadlines: API calls answer quickly (no handler waits on extraction); part PUTs scale with size. */
export const API_TIMEOUT_MS = 15_000;
const PART_BASE_TIMEOUT_MS = 20_000;
/** The slowest link we still wait for: 128 KiB/s. */
const PART_MIN_BYTES_PER_MS = 128;

export function partTimeoutMs(sizeBytes: number): number {
  return PART_BASE_TIMEOUT_MS + Math.ceil(sizeBytes / PART_MIN_BYTES_PER_MS);
}

type Schema<T> = z.ZodType<T>;

/**
 * The HTTP API of common/api.ts over ky. ky's own retry is off everywhere (retry: 0): the upload
 * engine runs its own retry table. Every call has a deadline and maps failures to AppError kinds.
 */
export class ApiClient {
  readonly baseUrl: string;
  private token: string | null = null;
  private session: { user: SessionUser; expiresAt: string } | null = null;
  private readonly http: KyInstance;
  private readonly unreachableListeners = new Set<(err: AppError) => void>();

  constructor(baseUrl: string, opts: { token?: string } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.token = opts.token ?? null;
    this.http = ky.create({
      retry: 0,
      fetch: undiciFetch(desktopDispatcher),
      timeout: API_TIMEOUT_MS,
      hooks: {
        beforeRequest: [
          (req) => {
            if (this.token && req.url.startsWith(this.baseUrl))
              req.headers.set('authorization', `Bearer ${this.token}`);
          },
        ],
      },
    });
  }

  get user(): SessionUser | null {
    return this.session?.user ?? null;
  }

  /** The bearer token of the current session (to keep a remote session across restarts), or null. */
  get sessionToken(): string | null {
    return this.token;
  }

  get sessionExpiresAt(): string | null {
    return this.session?.expiresAt ?? null;
  }

  get signedIn(): boolean {
    return this.token !== null;
  }

  private url(path: string): string {
    return `${this.baseUrl}${API_PREFIX}${path}`;
  }

  /**
   * Calls `listener` whenever an API call fails because the server could not be reached (kind
   * `network`), so whoever shows online/offline hears it from any caller (the change feed, say)
   * by the error's kind, not its wording. Returns the unsubscribe function.
   */
  onUnreachable(listener: (err: AppError) => void): () => void {
    this.unreachableListeners.add(listener);
    return () => this.unreachableListeners.delete(listener);
  }

  private async call<T>(what: string, schema: Schema<T>, run: () => Promise<unknown>): Promise<T> {
    let body: unknown;
    try {
      body = await run();
    } catch (err) {
      const failure = await toHttpFailure(err, what);
      if (failure instanceof AppError && failure.kind === 'network')
        for (const listener of this.unreachableListeners) listener(failure);
      throw failure;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      throw new AppError(
        'internal',
        `${what}: the server answered in an unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`,
      );
    return parsed.data;
  }

  /**
   * POSTs JSON and reads the JSON answer with undici's request() directly, for the batched
   * register and complete calls an import makes hundreds of times. Why not ky: it builds a WHATWG
   * Request, Headers, Response, abort signals and a body stream to cancel per call, the largest
   * cost of the client's own after SQLite commits (issue 17, CPU profile of 5,000 files: ky and
   * its stream cancels ~2.5 s of the main thread's samples for 1,166 calls). Same contract as ky's
   * path through call(): bearer token, deadline (kind network), an error answer mapped as
   * toHttpFailure maps ky's HTTPError, an unreachable server as fetch's TypeError.
   */
  private async postJson(
    what: string,
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    timeoutMs = API_TIMEOUT_MS,
  ): Promise<unknown> {
    signal?.throwIfAborted();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error('deadline')), timeoutMs);
    const onAbort = (): void => deadline.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await request(this.url(path), {
        dispatcher: desktopDispatcher,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify(body),
        signal: deadline.signal,
      });
      const text = await res.body.text();
      if (res.statusCode >= 400) {
        const retryAfter = res.headers['retry-after'];
        throw failureFromAnswer(what, res.statusCode, text, typeof retryAfter === 'string' ? retryAfter : null);
      }
      // Not JSON: undefined, which the caller's schema refuses as an unexpected shape.
      return text === '' ? '' : parseJsonOrUndefined(text);
    } catch (err) {
      if (err instanceof HttpFailure) throw err;
      if (signal?.aborted) throw signal.reason;
      if (deadline.signal.aborted)
        throw new HttpFailure('network', `${what}: no answer before the deadline`, null, null, null, { cause: err });
      // The shape fetch rejects with, which toHttpFailure reads as "cannot reach the server".
      throw new TypeError('fetch failed', { cause: err });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async login(email: string, password: string, signal?: AbortSignal): Promise<SessionUser> {
    this.token = null;
    const res = await this.call('Sign-in', LoginResponse, () =>
      this.http.post(this.url('/auth/login'), { json: { email, password }, signal }).json(),
    );
    this.token = res.token;
    this.session = { user: res.user, expiresAt: res.expiresAt };
    return res.user;
  }

  /**
   * Resumes a session from a token kept earlier (the command line's saved token): the server
   * checks it (GET /auth/me) and names its user; a refused token rejects with kind `auth` (401)
   * and leaves this client signed out. Unreachable, the token is kept for the calls that follow.
   */
  async resumeSession(token: string, expiresAt: string, signal?: AbortSignal): Promise<SessionUser> {
    this.token = token;
    try {
      const user = await this.call('Checking the saved session', SessionUser, () =>
        this.http.get(this.url('/auth/me'), { signal }).json(),
      );
      this.session = { user, expiresAt };
      return user;
    } catch (err) {
      if (err instanceof AppError && err.kind === 'auth') this.signOut();
      throw err;
    }
  }

  signOut(): void {
    this.token = null;
    this.session = null;
  }

  /**
   * Revokes the session on the server, then forgets it here. Best effort: an unreachable server
   * or an already ended session still signs out locally (the server then ends the session at its
   * idle lifetime), so sign-out never hangs or fails.
   */
  async logout(signal?: AbortSignal): Promise<void> {
    if (this.token) {
      try {
        await this.http.post(this.url('/auth/logout'), { signal, timeout: 5_000 });
      } catch {
        // See above: the local sign-out goes ahead.
      }
    }
    this.signOut();
  }

  /** The health document even when the server answers 503 "down"; throws only when unreachable. */
  async health(signal?: AbortSignal): Promise<HealthResponse> {
    return this.call('Health check', HealthResponse, async () => {
      const res = await this.http.get(`${this.baseUrl}/health`, { signal, throwHttpErrors: false, timeout: 5_000 });
      if (res.status >= 500 && res.status !== 503)
        throw new HttpFailure('unavailable', `Health check: HTTP ${res.status}`, res.status);
      return res.json();
    });
  }

  /**
   * What the server refuses (GET /limits), as a client's preflight uses it: a file must pass both
   * byte limits (registered for upload, then read by extraction), hence their minimum.
   */
  async serverLimits(signal?: AbortSignal): Promise<{ maxBytes: number; maxPages: number }> {
    // Only the fields used: an older server that says less of the rest is still read.
    const schema = ServerLimits.pick({ maxUploadBytes: true, maxDocumentBytes: true, maxPages: true });
    const limits = await this.call("Reading the server's limits", schema, () =>
      this.http.get(this.url('/limits'), { signal }).json(),
    );
    return { maxBytes: Math.min(limits.maxUploadBytes, limits.maxDocumentBytes), maxPages: limits.maxPages };
  }

  createBatch(req: CreateBatchRequest, signal?: AbortSignal): Promise<BatchStats> {
    return this.call('Creating the batch', BatchStats, () =>
      this.http.post(this.url('/batches'), { json: req, signal }).json(),
    );
  }

  listBatches(signal?: AbortSignal): Promise<z.infer<typeof BatchList>> {
    return this.call('Listing batches', BatchList, () => this.http.get(this.url('/batches'), { signal }).json());
  }

  batchStats(batchId: string, signal?: AbortSignal): Promise<BatchStats> {
    return this.call('Batch statistics', BatchStats, () =>
      this.http.get(this.url(`/batches/${encodeURIComponent(batchId)}`), { signal }).json(),
    );
  }

  /** Many registrations in one call (see common/api.ts): one result per file, in order. */
  registerUploads(files: RegisterUploadRequest[], signal?: AbortSignal): Promise<RegisterUploadsResponse> {
    return this.call('Registering the uploads', RegisterUploadsResponse, () =>
      this.postJson('Registering the uploads', '/uploads/batch', { files }, signal),
    );
  }

  signParts(uploadId: string, partNumbers: number[], signal?: AbortSignal): Promise<SignPartsResponse> {
    return this.call('Signing part URLs', SignPartsResponse, () =>
      this.http
        .post(this.url(`/uploads/${encodeURIComponent(uploadId)}/parts`), { json: { partNumbers }, signal })
        .json(),
    );
  }

  listParts(uploadId: string, signal?: AbortSignal): Promise<ListPartsResponse> {
    return this.call('Listing stored parts', ListPartsResponse, () =>
      this.http.get(this.url(`/uploads/${encodeURIComponent(uploadId)}/parts`), { signal }).json(),
    );
  }

  /** Many completes in one call: one result per upload, in order. */
  completeUploads(uploads: CompleteUploadsRequest['uploads'], signal?: AbortSignal): Promise<CompleteUploadsResponse> {
    return this.call('Completing the uploads', CompleteUploadsResponse, () =>
      this.postJson('Completing the uploads', '/uploads/complete-batch', { uploads }, signal, 60_000),
    );
  }

  async abortUpload(uploadId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.http.delete(this.url(`/uploads/${encodeURIComponent(uploadId)}`), { signal });
    } catch (err) {
      throw await toHttpFailure(err, 'Aborting the upload');
    }
  }

  changes(since: number, limit = 500, signal?: AbortSignal): Promise<ChangesResponse> {
    return this.call('Reading the change feed', ChangesResponse, () =>
      this.http.get(this.url('/changes'), { searchParams: { since, limit }, signal }).json(),
    );
  }

  getDocument(id: string, signal?: AbortSignal): Promise<DocumentDetail> {
    return this.call('Reading the document', DocumentDetail, () =>
      this.http.get(this.url(`/documents/${encodeURIComponent(id)}`), { signal }).json(),
    );
  }

  reviewDocument(id: string, req: ReviewRequest, signal?: AbortSignal): Promise<DocumentDetail> {
    return this.call('Saving the review', DocumentDetail, () =>
      this.http.patch(this.url(`/documents/${encodeURIComponent(id)}`), { json: req, signal }).json(),
    );
  }

  contentUrl(id: string, signal?: AbortSignal): Promise<ContentUrlResponse> {
    return this.call('Getting the content URL', ContentUrlResponse, () =>
      this.http.get(this.url(`/documents/${encodeURIComponent(id)}/content-url`), { signal }).json(),
    );
  }

  /** Downloads a document's bytes through the API, where each download is audited (a content URL can be reused unseen until it expires). */
  async downloadContent(id: string, signal?: AbortSignal): Promise<Uint8Array> {
    try {
      return new Uint8Array(
        await this.http
          .get(this.url(`/documents/${encodeURIComponent(id)}/content`), { signal, timeout: 120_000 })
          .arrayBuffer(),
      );
    } catch (err) {
      throw await toHttpFailure(err, 'Downloading the document');
    }
  }

  /** PUTs one part's bytes to its presigned URL; returns the store's ETag. */
  async putPart(url: string, body: Uint8Array, signal?: AbortSignal): Promise<string> {
    try {
      // The bytes go to the transport directly, not through ky's Request (see undici-fetch.ts).
      const res = await this.http.put(url, {
        signal,
        timeout: partTimeoutMs(body.byteLength),
        fetch: undiciFetch(desktopDispatcher, body),
      });
      const etag = res.headers.get('etag');
      await res.body?.cancel();
      if (!etag) throw new HttpFailure('internal', 'The store accepted a part but returned no ETag', res.status);
      return etag;
    } catch (err) {
      throw await toHttpFailure(err, 'Sending a part');
    }
  }
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
