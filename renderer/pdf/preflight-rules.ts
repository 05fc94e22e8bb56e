/**
 * What the import preview's preflight decides, apart from pdf.js (so it is tested in Node): the
 * server's limits, the reason for each way a PDF fails to open, and what counts as a page with
 * nothing to read. The wording follows the server's own refusals (server/extraction/load.ts).
 */

/** The server's limits; null where the server has not said (that check is then not made). */
export interface PreflightLimits {
  maxBytes: number | null;
  maxPages: number | null;
}

export const NO_LIMITS: PreflightLimits = { maxBytes: null, maxPages: null };

export type PreflightCode =
  'too_large' | 'too_many_pages' | 'encrypted' | 'damaged' | 'no_content' | 'timed_out' | 'unreadable';

export interface PreflightProblem {
  code: PreflightCode;
  reason: string;
}

export type PreflightResult = { ok: true; note?: string } | { ok: false; problem: PreflightProblem };

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

/** Checks that need no bytes: the size from the scan, and the page count when the scan found it. */
export function checkLimits(
  file: { sizeBytes: number; pages: number | null },
  limits: PreflightLimits,
): PreflightProblem | null {
  if (limits.maxBytes !== null && file.sizeBytes > limits.maxBytes)
    return {
      code: 'too_large',
      reason: `${mb(file.sizeBytes)}; the server accepts up to ${Math.round(limits.maxBytes / 1048576)} MB. Split or compress the PDF.`,
    };
  if (file.pages !== null) return checkPageCount(file.pages, limits);
  return null;
}

export function checkPageCount(pages: number, limits: PreflightLimits): PreflightProblem | null {
  if (limits.maxPages !== null && pages > limits.maxPages)
    return {
      code: 'too_many_pages',
      reason: `${pages} pages; the server accepts up to ${limits.maxPages}. Split it into one document per credential.`,
    };
  if (pages < 1) return { code: 'damaged', reason: 'The PDF has no pages. Re-export or re-scan it.' };
  return null;
}

/** pdf.js's reasons for not opening a file, in a coordinator's words. */
export function problemForOpenError(err: unknown): PreflightProblem {
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException')
    return {
      code: 'encrypted',
      reason: 'A password is needed to open it. Save or print it to PDF without security, then scan again.',
    };
  return {
    code: 'damaged',
    reason: 'It is truncated or corrupt and cannot be read. Re-download or re-export it.',
  };
}

/**
 * A page has something to read when its text layer has a non-blank string or it draws an image
 * (a scan, read by OCR on the server). A document with neither on every page is blank to the server.
 */
export function noContentProblem(pagesChecked: number): PreflightProblem {
  return {
    code: 'no_content',
    reason:
      pagesChecked === 1
        ? 'Its page has no text and no image: it looks blank.'
        : `None of its ${pagesChecked} pages has text or an image: it looks blank.`,
  };
}

export function timedOutProblem(seconds: number): PreflightProblem {
  return {
    code: 'timed_out',
    reason: `Could not be opened within ${seconds} s: the server would likely give up on it too. Re-export it.`,
  };
}

/** Short labels for the preview's status column. */
export const PREFLIGHT_LABELS: Record<PreflightCode, string> = {
  too_large: 'Too large',
  too_many_pages: 'Too many pages',
  encrypted: 'Encrypted',
  damaged: 'Damaged',
  no_content: 'Nothing to read',
  timed_out: 'Too slow to open',
  unreadable: 'Unreadable',
};
