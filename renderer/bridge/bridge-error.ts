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

/** Any failure as a BridgeError: the transports reject with BridgeErrors; anything else is internal. */
export function toBridgeError(err: unknown): BridgeError {
  if (err instanceof BridgeError) return err;
  return new BridgeError('internal', err instanceof Error ? err.message : String(err));
}

export function serializedToBridgeError(error: SerializedError): BridgeError {
  return new BridgeError(error.kind, error.message);
}

/** Text for the UI: what happened, already phrased by the side that knows. */
export function describeError(err: unknown): string {
  return toBridgeError(err).message;
}
