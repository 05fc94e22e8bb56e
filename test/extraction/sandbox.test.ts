/**
 * The sandbox's limits act on a real worker thread: the RSS watchdog and the hard deadline
 * terminate it with their codes, and the next document gets a fresh thread that answers.
 */
import { describe, expect, it } from 'vitest';
import { isExtractionFailure, type ExtractionOutcome } from '../../common/extraction';
import { createExtractionSandbox } from '../../server/extraction/sandbox';
import { smallTextPdf } from '../fixtures/hostile/generate';
import { makeScannedLicense } from './make-scan';

const code = (o: ExtractionOutcome) => (isExtractionFailure(o) ? o.error.code : 'ok');

describe('extraction sandbox limits', () => {
  it('stops a document over the RSS limit and replaces the thread for the next one', async () => {
    // Any real process is above 1 MB: each run is stopped by the watchdog, so the second
    // answer proves a terminated thread was replaced rather than left hanging.
    const sandbox = createExtractionSandbox({ timeoutMs: 60_000, memoryMb: 256, rssLimitMb: 1 });
    try {
      const pdf = await smallTextPdf('Medical Board of California License Number A123456');
      expect(code((await sandbox.run(pdf)).outcome)).toBe('out_of_memory');
      expect(code((await sandbox.run(pdf)).outcome)).toBe('out_of_memory');
    } finally {
      await sandbox.close();
    }
  });

  it('terminates a run past its deadline, then answers the next one from a fresh thread', async () => {
    // OCR of a page cannot finish in 50 ms (the tesseract worker alone takes longer to start).
    const sandbox = createExtractionSandbox({ timeoutMs: 50, memoryMb: 256 });
    try {
      const scan = await makeScannedLicense();
      expect(code((await sandbox.run(scan)).outcome)).toBe('timeout');
      expect(code((await sandbox.run(scan)).outcome)).toBe('timeout');
      expect(code((await sandbox.run(new Uint8Array([1, 2, 3]))).outcome)).toBe('not_pdf');
    } finally {
      await sandbox.close();
    }
  });

  it('serialises concurrent runs and answers each with its own document', async () => {
    const sandbox = createExtractionSandbox({ timeoutMs: 30_000, memoryMb: 256 });
    try {
      const [first, second] = await Promise.all([
        sandbox.run(await smallTextPdf('DRUG ENFORCEMENT ADMINISTRATION DEA Registration Number: AP5836727')),
        sandbox.run(await smallTextPdf('DRUG ENFORCEMENT ADMINISTRATION DEA Registration Number: BJ6125341')),
      ]);
      const [a, b] = [first!.outcome, second!.outcome];
      expect(isExtractionFailure(a) ? null : a.fields.deaNumber?.value).toBe('AP5836727');
      expect(isExtractionFailure(b) ? null : b.fields.deaNumber?.value).toBe('BJ6125341');
      // The text that was read comes back with each outcome, page by page.
      expect(first!.text?.pages).toEqual([{ page: 1, source: 'text', text: expect.stringContaining('AP5836727') }]);
      expect(second!.text?.pages[0]?.text).toContain('BJ6125341');
    } finally {
      await sandbox.close();
    }
  });
});
