/**
 * Hostile inputs through the real worker-thread sandbox: each ends with its stable error
 * code (or a safe result) and the sandbox keeps serving the next document.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isExtractionFailure, type ExtractionOutcome } from '../../common/extraction';
import { createExtractionSandbox } from '../../server/extraction/sandbox';
import {
  deflateBomb,
  emptyFile,
  encryptedPdf,
  htmlWithPdfLater,
  javascriptPdf,
  jpegRenamedPdf,
  pageCountBomb,
  smallTextPdf,
  truncatedPdf,
} from '../fixtures/hostile/generate';

const sandbox = createExtractionSandbox({ timeoutMs: 30_000, memoryMb: 256, maxPages: 50 });
afterAll(() => sandbox.close());

const code = (o: ExtractionOutcome) => (isExtractionFailure(o) ? o.error.code : 'ok');

describe('hostile PDFs in the sandbox', () => {
  it.each([
    ['zero bytes', 'not_pdf', () => emptyFile()],
    ['a JPEG renamed .pdf', 'not_pdf', () => jpegRenamedPdf()],
    ['HTML with %PDF- later in the file', 'not_pdf', () => htmlWithPdfLater()],
    ['a truncated PDF', 'corrupt', () => truncatedPdf()],
    ['an encrypted PDF', 'encrypted', () => encryptedPdf()],
    ['a page-count bomb', 'too_many_pages', () => pageCountBomb()],
    ['a deflate bomb', 'too_large', () => deflateBomb(200)],
  ])('%s gives %s', async (_name, expected, make) => {
    const o = (await sandbox.run(await make())).outcome;
    expect(code(o)).toBe(expected);
    if (isExtractionFailure(o)) expect(o.error.message.length).toBeGreaterThan(20);
  });

  it('tells a truncated PDF from other damage by the error pdf.js names, and says what to do', async () => {
    const o = (await sandbox.run(await truncatedPdf())).outcome;
    expect(isExtractionFailure(o) && o.error.message).toMatch(/truncated or damaged.*Re-download or re-export/);
  });

  it('reads a PDF with JavaScript actions without running them', async () => {
    const o = (await sandbox.run(await javascriptPdf())).outcome;
    expect(code(o)).toBe('ok');
    if (!isExtractionFailure(o)) {
      expect(o.docType).toBe('unknown');
      expect(o.pages).toBe(1);
    }
  });

  it('still serves a normal document after the hostile ones, and leaves the caller its bytes', async () => {
    const bytes = await smallTextPdf('DRUG ENFORCEMENT ADMINISTRATION  DEA Registration Number: AP5836727');
    const copy = bytes.slice();
    const o = (await sandbox.run(bytes)).outcome;
    expect(code(o)).toBe('ok');
    if (!isExtractionFailure(o)) expect(o.fields.deaNumber?.value).toBe('AP5836727');
    expect(Buffer.from(bytes).equals(Buffer.from(copy))).toBe(true);
  });
});
