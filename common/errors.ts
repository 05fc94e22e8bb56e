/**
 * Errors with a kind (Signal / Hono style). A kind travels across IPC and HTTP as
 * `{ kind, message }`; HTTP status codes are chosen only at the server's edge.
 */
export const ERROR_KINDS = [
  'invalid_input',
  'not_found',
  'conflict',
  'network',
  'auth',
  'forbidden',
  'rate_limited',
  'too_large',
  'unavailable',
  'cancelled',
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface SerializedError {
  kind: ErrorKind;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  toJSON(): SerializedError {
    return { kind: this.kind, message: this.message };
  }
}

/** Envelope for every IPC / RPC reply: never a thrown exception across a process boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

export function toSerializedError(err: unknown): SerializedError {
  if (err instanceof AppError) return err.toJSON();
  if (err instanceof Error && err.name === 'AbortError') return { kind: 'cancelled', message: 'Cancelled.' };
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}
