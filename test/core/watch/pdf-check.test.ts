/**
 * The watched folders' preflight (issue 16) against real PDFs: pdf.js (legacy build, in a worker
 * thread) opens each one as the import preview would, and an encrypted, truncated or blank PDF is
 * left out of the queue with the reason while a text PDF and a scan (an image, no text) are queued.
 * A file that does not answer within the deadline has its thread ended and is left out as too slow.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { openQueueDb } from '../../../main/core/db/open-queue-db';
import { QueueStore } from '../../../main/core/db/queue-store';
import { FolderWatches } from '../../../main/core/watch/folder-watches';
import { checkPdfs } from '../../../main/core/watch/pdf-check';
import type { WatchQueueReport } from '../../../main/core/watch/watch-queue';
import { makeScannedLicense } from '../../extraction/make-scan';
import { encryptedPdf, truncatedPdf } from '../../fixtures/hostile/generate';
import { makePdf } from '../../helpers/pdf-fixtures';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-pdf-check-');
afterAll(() => tmp.cleanup());

async function blankPdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([612, 792]);
  return doc.save();
}

function write(dir: string, name: string, bytes: Uint8Array): { path: string; sizeBytes: number } {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, sizeBytes: bytes.length };
}

// The import preview's words for the same files (test/e2e/desktop-web.test.ts reads them there).
const REASONS = {
  encrypted: 'A password is needed to open it. Save or print it to PDF without security, then scan again.',
  damaged: 'It is truncated or corrupt and cannot be read. Re-download or re-export it.',
  blankOne: 'Its page has no text and no image: it looks blank.',
  blankThree: 'None of its 3 pages has text or an image: it looks blank.',
};

describe('watched-folder PDF check', () => {
  it('names encrypted, damaged and blank PDFs; a text PDF and a scan pass', async () => {
    const dir = join(tmp.dir, 'direct');
    mkdirSync(dir);
    const files = {
      text: write(dir, 'text.pdf', await makePdf('pdf-check-text', 2)),
      scan: write(dir, 'scan.pdf', await makeScannedLicense()),
      encrypted: write(dir, 'encrypted.pdf', encryptedPdf()),
      truncated: write(dir, 'truncated.pdf', await truncatedPdf()),
      blank: write(dir, 'blank.pdf', await blankPdf(1)),
      blank3: write(dir, 'blank3.pdf', await blankPdf(3)),
      longer: write(dir, 'longer.pdf', await makePdf('pdf-check-long', 4)),
    };
    const reasons = await checkPdfs(Object.values(files), { maxPages: 3 });
    expect(Object.fromEntries(Object.entries(files).map(([k, f]) => [k, reasons.get(f.path)]))).toEqual({
      text: null,
      scan: null,
      encrypted: REASONS.encrypted,
      truncated: REASONS.damaged,
      blank: REASONS.blankOne,
      blank3: REASONS.blankThree,
      longer: '4 pages; the server accepts up to 3. Split it into one document per credential.',
    });
  }, 120_000);

  it('gives up on a file that does not answer by the deadline, and the next file is still checked', async () => {
    const dir = join(tmp.dir, 'deadline');
    mkdirSync(dir);
    const slow = write(dir, 'slow.pdf', await makePdf('pdf-check-slow', 1));
    // A deadline no check can meet (opening even a one-page PDF in a warm thread takes far longer than 1 ms).
    const reasons = await checkPdfs([slow], { maxPages: null, timeoutMs: 1 });
    expect(reasons.get(slow.path)).toMatch(
      /^Could not be opened within \d+ s: the server would likely give up on it too\. Re-export it\.$/,
    );
    // The thread was ended; the next check starts a fresh one.
    const again = await checkPdfs([slow, write(dir, 'blank.pdf', await blankPdf(1))], { maxPages: null });
    expect([...again.values()]).toEqual([null, REASONS.blankOne]);
  }, 120_000);

  it('leaves such files out of a watched folder with the reason, and queues the readable ones', async () => {
    const folder = join(tmp.dir, 'scanner');
    mkdirSync(folder);
    const store = new QueueStore(openQueueDb(join(tmp.dir, 'queue.sqlite')));
    const reports: WatchQueueReport[] = [];
    const watches = new FolderWatches({
      store,
      settleMs: 300,
      rescanMs: 400,
      onQueued: (report) => void reports.push(report),
      onNothingNew: (report) => void reports.push(report),
    });
    await watches.add(folder);
    const encrypted = encryptedPdf();
    write(folder, 'locked.pdf', encrypted);
    // A copy of a refused file is refused with it, not counted as already queued.
    write(folder, 'locked-copy.pdf', encrypted);
    write(folder, 'cut-short.pdf', await truncatedPdf());
    write(folder, 'empty-page.pdf', await blankPdf(1));
    write(folder, 'license.pdf', await makePdf('pdf-check-watched', 1));
    const end = Date.now() + 60_000;
    const handled = () =>
      reports.flatMap((r) => [...r.queued.map((q) => q.relPath), ...r.skipped.map((k) => k.relPath)]);
    while (handled().length < 5) {
      if (Date.now() > end) throw new Error(`timed out; handled so far: ${handled().join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await watches.close();
    expect(reports.flatMap((r) => r.queued.map((q) => q.relPath))).toEqual(['license.pdf']);
    expect(reports.flatMap((r) => r.skipped).sort((a, b) => a.relPath.localeCompare(b.relPath))).toEqual([
      { relPath: 'cut-short.pdf', reason: REASONS.damaged },
      { relPath: 'empty-page.pdf', reason: REASONS.blankOne },
      { relPath: 'locked-copy.pdf', reason: REASONS.encrypted },
      { relPath: 'locked.pdf', reason: REASONS.encrypted },
    ]);
    expect(store.list({ offset: 0, limit: 10 }).items.map((i) => i.relPath)).toEqual(['license.pdf']);
    store.db.close();
  }, 120_000);
});
