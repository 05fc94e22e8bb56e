/**
 * The watched folders' PDF check thread over its life (pdf-check.ts): a thread that fails while
 * idle is let go without taking the process down, and the next check starts another; a check in
 * progress ends promptly when its signal aborts (a watch removed or closed), and so does closing
 * the watches while a group is being checked. Real threads, real PDFs, real SQLite.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openQueueDb } from '../../../main/core/db/open-queue-db';
import { QueueStore } from '../../../main/core/db/queue-store';
import { FolderWatches } from '../../../main/core/watch/folder-watches';
import { CheckThread, checkPdfs, pdfCheckInProgress } from '../../../main/core/watch/pdf-check';
import { loadPdfJsNode, untrustedPdfOptions } from '../../../node-shared/pdfjs-node';
import { readPdfBytes } from '../../../main/core/watch/pdf-check-thread';
import { makePdf } from '../../helpers/pdf-fixtures';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-pdf-check-life-');
afterAll(() => tmp.cleanup());

/** Rejects when `p` has not settled by the deadline (a hung close or check fails the test). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * `count` different one-page PDFs (a comment after %%EOF makes each its own content, so none is
 * left out as a copy of another): enough that checking them all takes far longer than the deadlines below.
 */
async function manyPdfs(dir: string, count: number): Promise<{ path: string; sizeBytes: number }[]> {
  mkdirSync(dir, { recursive: true });
  const base = await makePdf('pdf-check-many', 1);
  return Array.from({ length: count }, (_, i) => {
    const bytes = Buffer.concat([base, Buffer.from(`\n% copy ${i}\n`)]);
    const path = join(dir, `doc-${i}.pdf`);
    writeFileSync(path, bytes);
    return { path, sizeBytes: bytes.length };
  });
}

const FINE = { path: '/nowhere/fine.pdf', maxPages: null };

describe('PDF check thread life', () => {
  it('lets go of a thread that fails while idle (an error or an exit); the next check starts another', async () => {
    const thread = new CheckThread({ callerUrl: import.meta.url, name: 'idle-failing-thread' });
    try {
      for (const how of ['throw', 'exit']) {
        const path = `/nowhere/${how}-when-idle.pdf`;
        expect(await thread.run({ path, maxPages: null }, 30_000)).toEqual({ reply: { ok: true } });
        // An 'error' nobody hears would have ended this process here (the test run reports it).
        await until(`the thread to be let go after it failed (${how})`, () => !thread.running);
        expect(await thread.run(FINE, 30_000)).toEqual({ reply: { ok: true } });
      }
    } finally {
      thread.stop();
    }
  }, 120_000);

  it('stops checking when its signal aborts, and the next check starts a fresh thread', async () => {
    const files = await manyPdfs(join(tmp.dir, 'direct'), 1500);
    const controller = new AbortController();
    const checking = checkPdfs(files, { maxPages: null, signal: controller.signal });
    await until('a file to be checked', pdfCheckInProgress, 60_000);
    controller.abort();
    await expect(withTimeout(checking, 10_000)).rejects.toThrow(/abort/i);
    const again = await checkPdfs(files.slice(0, 2), { maxPages: null });
    expect([...again.values()]).toEqual([null, null]);
  }, 120_000);

  it('closes the watches promptly while a group is being checked; nothing of that group is queued', async () => {
    const folder = join(tmp.dir, 'scanner');
    await manyPdfs(folder, 1500);
    const store = new QueueStore(openQueueDb(join(tmp.dir, 'queue.sqlite')));
    let groupStarted = false;
    const told: string[] = [];
    const watches = new FolderWatches({
      store,
      settleMs: 300,
      rescanMs: 60_000,
      // Asked as each group starts, before its scan and check.
      limits: async () => ((groupStarted = true), null),
      onQueued: (report) => void told.push(...report.queued.map((q) => q.relPath)),
      onNothingNew: (report) => void told.push(...report.skipped.map((s) => s.relPath)),
      onError: (_folder, err) => void told.push(`error: ${String(err)}`),
    });
    await watches.add(folder);
    await until('the group to start', () => groupStarted, 60_000);
    // Closed while a file of the group is with the check thread (its scan is done).
    await until('a file of the group to be checked', pdfCheckInProgress, 60_000);
    await expect(withTimeout(watches.close(), 10_000)).resolves.toBeUndefined();
    expect(told).toEqual([]);
    expect(store.counts().total).toBe(0);
    store.db.close();
  }, 180_000);

  it('hands pdf.js the bytes as read, without a copy: pdf.js takes (transfers) them as they are', async () => {
    const path = join(tmp.dir, 'one.pdf');
    writeFileSync(path, await makePdf('pdf-check-bytes', 1));
    const bytes = await readPdfBytes(path);
    expect(Buffer.isBuffer(bytes)).toBe(false);
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    const pdfjs = await loadPdfJsNode();
    const task = pdfjs.getDocument(untrustedPdfOptions(bytes));
    try {
      expect((await task.promise).numPages).toBe(1);
      // Handed over, not copied: pdf.js moved this very memory to its worker side.
      expect(bytes.byteLength).toBe(0);
    } finally {
      await task.destroy();
    }
  });
});
