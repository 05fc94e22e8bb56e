/**
 * A watched folder against real files and a real queue database: a PDF written in two halves is
 * queued once, whole, after it stops growing; a copy of it is not queued again; a changed file is;
 * a symbolic link in the folder is never followed. No timed assertions: each step waits for the
 * watch's own report, with a generous deadline.
 */
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openQueueDb } from '../../../main/core/db/open-queue-db';
import { QueueStore } from '../../../main/core/db/queue-store';
import { FolderWatches } from '../../../main/core/watch/folder-watches';
import type { ServerLimits, WatchQueueReport } from '../../../main/core/watch/watch-queue';
import { makePdf, sha256Hex } from '../../helpers/pdf-fixtures';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-watch-');
afterAll(() => tmp.cleanup());

async function until<T>(what: string, probe: () => T | undefined, deadlineMs = 30_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('watched folder', () => {
  it('queues a PDF once it stops growing, not its copy, again when it changes, never through a link', async () => {
    const folder = join(tmp.dir, 'scanner');
    mkdirSync(join(folder, 'inbox'), { recursive: true });
    const store = new QueueStore(openQueueDb(join(tmp.dir, 'queue.sqlite')));
    const queued: WatchQueueReport[] = [];
    const nothingNew: WatchQueueReport[] = [];
    const watches = new FolderWatches({
      store,
      settleMs: 1_500,
      rescanMs: 400,
      onQueued: (report) => void queued.push(report),
      onNothingNew: (report) => void nothingNew.push(report),
    });
    await watches.add(folder);
    const rowsAt = (path: string) => store.list({ offset: 0, limit: 100 }).items.filter((i) => i.path === path);

    // A scanner writing in two pieces: the first half alone must never be queued.
    const a = await makePdf('watched-a', 4);
    const aPath = join(folder, 'inbox', 'a.pdf');
    const half = Math.floor(a.length / 2);
    writeFileSync(aPath, a.subarray(0, half));
    await new Promise((r) => setTimeout(r, 200));
    expect(queued).toEqual([]);
    appendFileSync(aPath, a.subarray(half));
    const first = await until('a.pdf queued', () =>
      queued.find((r) => r.queued.some((q) => q.relPath === 'inbox/a.pdf')),
    );
    expect(first.queued).toEqual([expect.objectContaining({ relPath: 'inbox/a.pdf', sizeBytes: a.length })]);
    expect(rowsAt(aPath).map((r) => [r.sizeBytes, r.sha256])).toEqual([[a.length, sha256Hex(a)]]);

    // The same content under another name: reported as already queued, not queued again.
    writeFileSync(join(folder, 'a copy.pdf'), a);
    await until('the copy seen', () => nothingNew.find((r) => r.alreadyQueued.includes('a copy.pdf')));
    expect(rowsAt(join(folder, 'a copy.pdf'))).toEqual([]);

    // A link to a PDF outside the folder, then a changed a.pdf: the change is queued, the link never.
    const outside = join(tmp.dir, 'outside.pdf');
    writeFileSync(outside, await makePdf('outside-secret', 1));
    symlinkSync(outside, join(folder, 'link.pdf'));
    // And a link to a folder outside, written into after the link was made.
    const outsideDir = join(tmp.dir, 'outside-dir');
    mkdirSync(outsideDir);
    symlinkSync(outsideDir, join(folder, 'linked-dir'));
    writeFileSync(join(outsideDir, 'inside.pdf'), await makePdf('outside-dir-secret', 1));
    const a2 = await makePdf('watched-a-changed', 2);
    writeFileSync(aPath, a2);
    await until('changed a.pdf queued', () => (rowsAt(aPath).length === 2 ? true : undefined));
    expect(
      rowsAt(aPath)
        .map((r) => r.sha256)
        .sort(),
    ).toEqual([sha256Hex(a), sha256Hex(a2)].sort());
    // Another full rescan after the change has run when a new file dropped later is queued.
    writeFileSync(join(folder, 'later.pdf'), await makePdf('watched-later', 1));
    await until('later.pdf queued', () => queued.find((r) => r.queued.some((q) => q.relPath === 'later.pdf')));
    const everyPath = [...queued, ...nothingNew].flatMap((r) => [
      ...r.queued.map((q) => q.relPath),
      ...r.alreadyQueued,
    ]);
    expect(everyPath).not.toContain('link.pdf');
    expect(everyPath).not.toContain('linked-dir/inside.pdf');
    const queuedShas = store.list({ offset: 0, limit: 100 }).items.map((i) => i.sha256);
    expect(queuedShas).not.toContain(sha256Hex(await makePdf('outside-secret', 1)));
    expect(queuedShas).not.toContain(sha256Hex(await makePdf('outside-dir-secret', 1)));
    // Each file was queued exactly once per content.
    expect(queued.flatMap((r) => r.queued.map((q) => q.relPath)).sort()).toEqual([
      'inbox/a.pdf',
      'inbox/a.pdf',
      'later.pdf',
    ]);
    await watches.close();
    store.db.close();
  }, 90_000);

  it('falls back to the periodic rescan when the folder cannot be watched (not there yet)', async () => {
    const folder = join(tmp.dir, 'share-not-mounted');
    const store = new QueueStore(openQueueDb(join(tmp.dir, 'rescan.sqlite')));
    const reports: WatchQueueReport[] = [];
    const errors: unknown[] = [];
    const watches = new FolderWatches({
      store,
      settleMs: 300,
      rescanMs: 300,
      onQueued: (report) => void reports.push(report),
      onError: (_folder, err) => void errors.push(err),
    });
    await watches.add(folder);
    expect(watches.eventsActive(folder)).toBe(false);
    mkdirSync(folder);
    writeFileSync(join(folder, 'late.pdf'), await makePdf('watched-late-share', 1));
    await until('late.pdf queued', () => reports.find((r) => r.queued.some((q) => q.relPath === 'late.pdf')));
    expect(errors.length).toBeGreaterThan(0);
    await watches.close();
    store.db.close();
  }, 60_000);

  it("leaves out a PDF over the server's limits, with the reason", async () => {
    const folder = join(tmp.dir, 'limits');
    mkdirSync(folder);
    const store = new QueueStore(openQueueDb(join(tmp.dir, 'limits.sqlite')));
    const small = await makePdf('watched-small', 1);
    const big = await makePdf('watched-big', 6);
    const reports: WatchQueueReport[] = [];
    const watches = new FolderWatches({
      store,
      settleMs: 300,
      rescanMs: 400,
      limits: async () => ({ maxBytes: null, maxPages: 5 }),
      onQueued: (report) => void reports.push(report),
      onNothingNew: (report) => void reports.push(report),
    });
    await watches.add(folder);
    writeFileSync(join(folder, 'big.pdf'), big);
    writeFileSync(join(folder, 'small.pdf'), small);
    await until('both files handled', () =>
      reports.flatMap((r) => [...r.queued.map((q) => q.relPath), ...r.skipped.map((k) => k.relPath)]).length >= 2
        ? true
        : undefined,
    );
    await watches.close();
    expect(reports.flatMap((r) => r.queued.map((q) => q.relPath))).toEqual(['small.pdf']);
    expect(reports.flatMap((r) => r.skipped)).toEqual([
      { relPath: 'big.pdf', reason: '6 pages; the server accepts up to 5. Split it into one document per credential.' },
    ]);
    expect(store.list({ offset: 0, limit: 10 }).items.map((i) => i.relPath)).toEqual(['small.pdf']);
    store.db.close();
  }, 60_000);

  it('signed out or unreachable, checks against the limits the server gave last, also after a restart', async () => {
    const folder = join(tmp.dir, 'limits-later');
    mkdirSync(folder);
    const dbPath = join(tmp.dir, 'limits-later.sqlite');
    const handled = (reports: WatchQueueReport[]) =>
      reports.flatMap((r) => [...r.queued.map((q) => q.relPath), ...r.skipped.map((k) => k.relPath)]);
    /** One watch over the queue database at dbPath, its limits asked through `limits`, until `files` written are handled. */
    const watchUntil = async (limits: () => Promise<ServerLimits | null>, files: Record<string, Uint8Array>) => {
      const store = new QueueStore(openQueueDb(dbPath));
      const reports: WatchQueueReport[] = [];
      const watches = new FolderWatches({
        store,
        settleMs: 300,
        rescanMs: 400,
        limits,
        onQueued: (report) => void reports.push(report),
        onNothingNew: (report) => void reports.push(report),
      });
      await watches.add(folder, { skipPresent: true });
      for (const [name, bytes] of Object.entries(files)) writeFileSync(join(folder, name), bytes);
      const names = Object.keys(files);
      await until(names.join(', '), () => (names.every((n) => handled(reports).includes(n)) ? true : undefined));
      await watches.close();
      store.db.close();
      return {
        queued: reports.flatMap((r) => r.queued.map((q) => q.relPath)).sort(),
        skipped: reports.flatMap((r) => r.skipped.map((k) => `${k.relPath}: ${k.reason}`)).sort(),
      };
    };
    const overLimit = '6 pages; the server accepts up to 5. Split it into one document per credential.';

    // Signed in: the server says 5 pages.
    expect(
      await watchUntil(async () => ({ maxBytes: null, maxPages: 5 }), {
        'a-big.pdf': await makePdf('limits-later-a-big', 6),
        'a-small.pdf': await makePdf('limits-later-a-small', 1),
      }),
    ).toEqual({ queued: ['a-small.pdf'], skipped: [`a-big.pdf: ${overLimit}`] });
    // Restarted and not signed in yet (no limits to ask for): the 5 pages it said last still hold.
    expect(
      await watchUntil(async () => null, {
        'b-big.pdf': await makePdf('limits-later-b-big', 6),
        'b-small.pdf': await makePdf('limits-later-b-small', 1),
      }),
    ).toEqual({ queued: ['b-small.pdf'], skipped: [`b-big.pdf: ${overLimit}`] });
    // The server unreachable (the ask fails): the same.
    expect(
      await watchUntil(() => Promise.reject(new Error('connect ECONNREFUSED')), {
        'c-big.pdf': await makePdf('limits-later-c-big', 6),
      }),
    ).toEqual({ queued: [], skipped: [`c-big.pdf: ${overLimit}`] });
    // The server answers again with a higher limit: that one counts from now on.
    expect(
      await watchUntil(async () => ({ maxBytes: null, maxPages: 10 }), {
        'd-big.pdf': await makePdf('limits-later-d-big', 6),
      }),
    ).toEqual({ queued: ['d-big.pdf'], skipped: [] });
  }, 120_000);
});
