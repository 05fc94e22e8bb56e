/**
 * Runs the pipeline for one document under a time and memory limit, so a hostile PDF fails
 * its own job with a stable code and cannot stall or crash the worker that called it.
 * Contract: `run` never rejects for a document's fault; it resolves an ExtractionOutcome.
 *
 * First cut: in-process with a deadline only. Issue 4 moves it into a worker thread with
 * resourceLimits (a worker thread, not a child process, because Electron's runAsNode fuse is off).
 */
import type { ExtractionOutcome } from '../../common/extraction';
import { extractPdf } from './index';

export interface SandboxOptions {
  timeoutMs: number;
  memoryMb: number;
  maxPages?: number;
}

export interface ExtractionSandbox {
  run(bytes: Uint8Array): Promise<ExtractionOutcome>;
  close(): Promise<void>;
}

export function createExtractionSandbox(opts: SandboxOptions): ExtractionSandbox {
  return {
    async run(bytes) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<ExtractionOutcome>((resolve) => {
        timer = setTimeout(() => resolve({ error: { code: 'timeout', message: `Extraction took longer than ${opts.timeoutMs} ms.` } }), opts.timeoutMs);
      });
      try {
        return await Promise.race([extractPdf(bytes, { maxPages: opts.maxPages }), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {},
  };
}
