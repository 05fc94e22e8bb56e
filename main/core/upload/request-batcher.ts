import {
  MAX_BATCH_ITEMS,
  type BatchItemError,
  type CompleteUploadResponse,
  type RegisterUploadRequest,
  type RegisterUploadResponse,
  type UploadedPart,
} from '../../../common/api';
import { ERROR_KINDS, type ErrorKind } from '../../../common/errors';
import { HttpFailure } from '../http-failure';
import { PRIORITY } from './priority-limiter';
import { runRequest, type RequestRunnerDeps } from './request-runner';

interface Waiting<I, O> {
  item: I;
  signal: AbortSignal;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
  onAbort: () => void;
}

/**
 * Gathers the one-item calls every file makes (its register, its complete) into batch requests.
 * A call goes out at once while fewer than `maxInFlight` batches are in flight; otherwise it waits
 * and rides with the next batch (up to `maxItems`). No timer: a quiet engine adds no latency, a busy
 * one sends fewer, larger requests. Why: per request, the server's session check, HTTP handling and
 * durable commit, and the client's HTTP call, cost more than the file's own work (bench:upload).
 * A batch request runs through the retry table as one request; a refused item fails only its caller.
 */
export class RequestBatcher<I, O> {
  private readonly waiting: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private lingering: NodeJS.Timeout | null = null;

  /**
   * `lingerMs`: how long a call that would go out alone waits for company. The engine's files reach
   * their register and complete one by one, a few milliseconds apart (each after its own disk check
   * or last part): sent at once, a register carried 2.6 files on average (bench:upload, 400 files,
   * 155 registers and 120 completes). A few milliseconds against a round trip of 40-400 ms.
   */
  constructor(
    private readonly send: (items: I[], signal: AbortSignal) => Promise<Array<O | Error>>,
    private readonly maxInFlight = 2,
    private readonly maxItems = MAX_BATCH_ITEMS,
    private readonly lingerMs = 0,
  ) {}

  call(item: I, signal: AbortSignal): Promise<O> {
    signal.throwIfAborted();
    return new Promise<O>((resolve, reject) => {
      const entry: Waiting<I, O> = {
        item,
        signal,
        resolve,
        reject,
        onAbort: () => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', entry.onAbort, { once: true });
      this.waiting.push(entry);
      this.pump();
    });
  }

  private pump(): void {
    if (this.lingerMs > 0 && this.waiting.length > 0 && this.waiting.length < this.maxItems) {
      if (!this.lingering)
        this.lingering = setTimeout(() => {
          this.lingering = null;
          this.sendWaiting();
        }, this.lingerMs);
      return;
    }
    this.sendWaiting();
  }

  private sendWaiting(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxItems);
      this.inFlight++;
      // The request stops only when every caller in it has gone (paused, cancelled, engine stopped).
      const all = new AbortController();
      let present = batch.length;
      const leave = (): void => {
        if (--present === 0) all.abort(new DOMException('Every caller of this batch has gone', 'AbortError'));
      };
      for (const e of batch) e.signal.addEventListener('abort', leave, { once: true });
      const settle = (e: Waiting<I, O>, outcome: O | Error): void => {
        e.signal.removeEventListener('abort', e.onAbort);
        e.signal.removeEventListener('abort', leave);
        if (outcome instanceof Error) e.reject(outcome);
        else e.resolve(outcome);
      };
      this.send(
        batch.map((e) => e.item),
        all.signal,
      )
        .then(
          (results) =>
            batch.forEach((e, i) =>
              settle(e, results[i] ?? new Error('The server answered fewer items than it was sent.')),
            ),
          (err: unknown) => batch.forEach((e) => settle(e, err instanceof Error ? err : new Error(String(err)))),
        )
        .finally(() => {
          this.inFlight--;
          // Whoever waited for this slot has lingered long enough.
          this.sendWaiting();
        });
    }
  }
}

function itemFailure(e: BatchItemError): HttpFailure {
  const kind = (ERROR_KINDS as readonly string[]).includes(e.error.code) ? (e.error.code as ErrorKind) : 'internal';
  return new HttpFailure(kind, e.error.message, e.status);
}

/** Registrations, batched: a file's answer, or its refusal as the HttpFailure the single call would throw. */
/** How long the engine's lone register or complete waits for others (see RequestBatcher). */
const LINGER_MS = 5;

export function registerBatcher(
  deps: RequestRunnerDeps,
): RequestBatcher<RegisterUploadRequest, RegisterUploadResponse> {
  return new RequestBatcher<RegisterUploadRequest, RegisterUploadResponse>(
    async (files, signal) => {
      const res = await runRequest(deps, { priority: PRIORITY.register, target: 'api', signal }, () =>
        deps.api.registerUploads(files, signal),
      );
      return res.results.map((r) => (r.outcome === 'error' ? itemFailure(r) : r));
    },
    2,
    MAX_BATCH_ITEMS,
    LINGER_MS,
  );
}

/** Completes, batched: they go ahead of registrations, like the single call. */
export function completeBatcher(
  deps: RequestRunnerDeps,
): RequestBatcher<{ uploadId: string; parts: UploadedPart[] }, CompleteUploadResponse> {
  return new RequestBatcher<{ uploadId: string; parts: UploadedPart[] }, CompleteUploadResponse>(
    async (uploads, signal) => {
      const res = await runRequest(deps, { priority: PRIORITY.finish, target: 'api', signal }, () =>
        deps.api.completeUploads(uploads, signal),
      );
      return res.results.map((r) =>
        r.outcome === 'error' ? itemFailure(r) : { documentId: r.documentId, status: r.status },
      );
    },
    2,
    MAX_BATCH_ITEMS,
    LINGER_MS,
  );
}
