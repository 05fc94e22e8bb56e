/**
 * The watched-folders panel's per-folder lists (what a watch queued, what it left out and why)
 * are kept in the queue database beside the watch: after a restart of the desktop services,
 * watch.list still names them; removing the watch forgets them. The lists are bounded (50 per
 * folder, newest first), and a file left out then queued leaves the left-out list. Real files,
 * real SQLite; signed out (the queue works offline).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import type { IpcEvents } from '../../../common/ipc';
import { openQueueDb, queueDbPath } from '../../../main/core/db/open-queue-db';
import {
  addFolderRecent,
  forgetFolderRecent,
  readFolderRecent,
  RECENT_PER_FOLDER,
} from '../../../main/core/watch/watched-folder-recent';
import { createServices, type Services } from '../../../main/services';
import { dispatch } from '../../../main/services/dispatch';
import { MEMORY_ONLY_VAULT } from '../../../main/services/session-file';
import { makePdf } from '../../helpers/pdf-fixtures';

const root = mkdtempSync(path.join(tmpdir(), 'credmate-watch-recent-'));
const dataDir = path.join(root, 'data');
const folder = path.join(root, 'scanner');
mkdirSync(folder);
const open: Services[] = [];

afterAll(async () => {
  for (const s of open) await s.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

function start(): { services: Services; events: IpcEvents['watch.queued'][] } {
  const services = createServices({
    dataDir,
    vault: MEMORY_ONLY_VAULT,
    launchLocalServer: async () => {
      throw new Error('not started in this test');
    },
    pickFolder: async () => folder,
    openExternal: async () => undefined,
    watch: { settleMs: 500, rescanMs: 500 },
  });
  open.push(services);
  const events: IpcEvents['watch.queued'][] = [];
  services.bus.subscribe((event, payload) => {
    if (event === 'watch.queued') events.push(payload as IpcEvents['watch.queued']);
  });
  return { services, events };
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const end = Date.now() + 60_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('watched folders: recent lists across a restart', () => {
  it('lists what a watch queued and left out again after the services restart', async () => {
    const first = start();
    const call = (channel: string, arg: unknown) =>
      dispatch(first.services.handlers, channel, arg, first.services.pickedPaths);
    expect(await call('import.pickFolder', undefined)).toEqual({ ok: true, value: folder });
    expect(await call('watch.add', { path: folder })).toMatchObject({ ok: true });

    const blank = await PDFDocument.create();
    blank.addPage([612, 792]);
    writeFileSync(path.join(folder, 'blank.pdf'), await blank.save());
    writeFileSync(path.join(folder, 'notes.pdf'), 'not a PDF at all');
    writeFileSync(path.join(folder, 'license.pdf'), await makePdf('watch-recent-license', 1));
    const seen = () =>
      first.events.flatMap((e) => [...e.files.map((f) => f.relPath), ...e.skipped.map((k) => k.relPath)]);
    await until('three files handled', () => (seen().length >= 3 ? true : undefined));
    const before = (await first.services.handlers['watch.list']())[0]!;
    await first.services.close();

    const second = start();
    await second.services.restore();
    const after = (await second.services.handlers['watch.list']())[0]!;
    expect(after.recent).toEqual(before.recent);
    expect(after.skipped).toEqual(before.skipped);
    expect(after.recent.map((r) => r.relPath)).toEqual(['license.pdf']);
    expect(after.skipped.map((k) => [k.relPath, k.reason]).sort()).toEqual([
      ['blank.pdf', 'Its page has no text and no image: it looks blank.'],
      ['notes.pdf', 'not a PDF (does not start with %PDF-)'],
    ]);

    // Removed: its lists go with it (a folder watched again starts empty).
    expect(
      await dispatch(second.services.handlers, 'watch.remove', { path: folder }, second.services.pickedPaths),
    ).toEqual({ ok: true, value: [] });
    await second.services.close();
    const db = openQueueDb(queueDbPath(dataDir));
    try {
      expect(readFolderRecent(db, folder)).toEqual({ queued: [], skipped: [] });
    } finally {
      db.close();
    }
  }, 120_000);

  it('keeps at most 50 entries per list, newest first; a file queued after being left out leaves that list', () => {
    const db = openQueueDb(path.join(root, 'bounded.sqlite'));
    try {
      for (let i = 1; i <= 60; i++)
        addFolderRecent(db, '/scans', {
          at: `t${i}`,
          queued: [{ relPath: `q${i}.pdf`, fileId: `f${i}` }],
          skipped: [{ relPath: `s${i}.pdf`, reason: 'blank' }],
        });
      addFolderRecent(db, '/other', { at: 'x', queued: [], skipped: [{ relPath: 'a.pdf', reason: 'blank' }] });
      const kept = readFolderRecent(db, '/scans');
      expect(RECENT_PER_FOLDER).toBe(50);
      expect(kept.queued.map((q) => q.relPath)).toEqual(Array.from({ length: 50 }, (_, i) => `q${60 - i}.pdf`));
      expect(kept.skipped).toHaveLength(50);
      expect(kept.skipped[0]).toEqual({ relPath: 's60.pdf', reason: 'blank', at: 't60' });

      // Fixed and dropped again: queued now, no longer listed as left out.
      addFolderRecent(db, '/scans', { at: 't61', queued: [{ relPath: 's60.pdf', fileId: 'f61' }], skipped: [] });
      expect(readFolderRecent(db, '/scans').skipped.some((k) => k.relPath === 's60.pdf')).toBe(false);
      forgetFolderRecent(db, '/scans');
      expect(readFolderRecent(db, '/scans')).toEqual({ queued: [], skipped: [] });
      expect(readFolderRecent(db, '/other').skipped).toHaveLength(1);
    } finally {
      db.close();
    }
  });

  it('orders both lists newest first within a group and keeps one entry per file', () => {
    const db = openQueueDb(path.join(root, 'dedup.sqlite'));
    try {
      addFolderRecent(db, '/scans', {
        at: 't1',
        queued: [
          { relPath: 'a.pdf', fileId: 'fa' },
          { relPath: 'b.pdf', fileId: 'fb' },
        ],
        skipped: [
          { relPath: 'x.pdf', reason: 'blank' },
          { relPath: 'y.pdf', reason: 'encrypted' },
        ],
      });
      // a.pdf queued again (new content under the same name), x.pdf left out again for another reason.
      addFolderRecent(db, '/scans', {
        at: 't2',
        queued: [
          { relPath: 'c.pdf', fileId: 'fc' },
          { relPath: 'a.pdf', fileId: 'fa2' },
        ],
        skipped: [
          { relPath: 'x.pdf', reason: 'damaged' },
          { relPath: 'z.pdf', reason: 'blank' },
        ],
      });
      expect(readFolderRecent(db, '/scans')).toEqual({
        queued: [
          { relPath: 'a.pdf', fileId: 'fa2', at: 't2' },
          { relPath: 'c.pdf', fileId: 'fc', at: 't2' },
          { relPath: 'b.pdf', fileId: 'fb', at: 't1' },
        ],
        skipped: [
          { relPath: 'z.pdf', reason: 'blank', at: 't2' },
          { relPath: 'x.pdf', reason: 'damaged', at: 't2' },
          { relPath: 'y.pdf', reason: 'encrypted', at: 't1' },
        ],
      });
    } finally {
      db.close();
    }
  });
});
