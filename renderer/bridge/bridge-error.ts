import type { ErrorKind, SerializedError } from '../../common/errors';

/** An error from the other side of the contract, with its kind intact. */
export class BridgeError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

/**
 * Electron's contextBridge copies only an Error's message into the renderer, so the preload
 * prefixes the kind (`[network] ...`); this turns either transport's failure back into a BridgeError.
 */
export function toBridgeError(err: unknown): BridgeError {
  if (err instanceof BridgeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const match = /^(?:Error invoking remote method '[^']*': )?(?:Error: )?\[([a-z_]+)\] ([\s\S]*)$/.exec(message);
  if (match) return new BridgeError(match[1] as ErrorKind, match[2] ?? '');
  return new BridgeError('internal', message);
}

export function serializedToBridgeError(error: SerializedError): BridgeError {
  return new BridgeError(error.kind, error.message);
}

/** Text for the UI: what happened, already phrased by the side that knows. */
export function describeError(err: unknown): string {
  return toBridgeError(err).message;
}
