import { createInterface } from 'node:readline';
import { AppError } from '../../../common/errors';
import { parseReadyLine, type ReadyLine } from '../../../node-shared/ready-line';

export interface ReadReadyLineOptions {
  /** Resolves when the server process has exited: before its ready line, that is a failed start. */
  exited: Promise<void>;
  timeoutMs: number;
  /** The message of the error when the process exits first (its log's last lines, say). */
  exitedMessage: () => string;
  timeoutMessage: string;
  /** Called when the deadline passes, before rejecting (the caller may kill the process). */
  onTimeout?: () => void;
}

/**
 * The one reader of the bundled server's ready line (node-shared/ready-line.ts), for every launcher:
 * reads stdout lines until the ready line and resolves with it; rejects with an `unavailable`
 * AppError when the process exits first or the deadline passes.
 */
export function readReadyLine(stdout: NodeJS.ReadableStream, opts: ReadReadyLineOptions): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // stdout stays read (not paused) after the ready line: a paused pipe could fill and stall the server.
      fn();
    };
    const timer = setTimeout(
      () =>
        settle(() => {
          opts.onTimeout?.();
          reject(new AppError('unavailable', opts.timeoutMessage));
        }),
      opts.timeoutMs,
    );
    lines.on('line', (line) => {
      const ready = parseReadyLine(line);
      if (ready) settle(() => resolve(ready));
    });
    void opts.exited.then(() => settle(() => reject(new AppError('unavailable', opts.exitedMessage()))));
  });
}
