/**
 * Watched folders through the desktop services (the same handlers Electron and `npm run web`
 * carry): only a picked folder can be watched, a PDF already there is left to the preview, a PDF
 * dropped afterwards is queued with a `watch.queued` event, and after a restart of the services the
 * watch is still there, the folder still counts as picked, a PDF dropped while the app was closed
 * is queued, nothing is queued twice and a new drop is queued again. Signed out: the queue works offline.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IpcEvents } from '../../../common/ipc';
import { createServices, type Services } from '../../../main/services';
import { dispatch } from '../../../main/services/dispatch';
import { MEMORY_ONLY_VAULT } from '../../../main/services/session-file';
import { makePdf } from '../../helpers/pdf-fixtures';

const root = mkdtempSync(path.join(tmpdir(), 'credmate-watch-service-'));
const dataDir = path.join(root, 'data');
const folder = path.join(root, 'scanner');
mkdirSync(folder);
const open: Services[] = [];

afterAll(async () => {
  for (const s of open) await s.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

function start(): { services: Services; queued: IpcEvents['watch.queued'][] } {
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
  const queued: IpcEvents['watch.queued'][] = [];
  services.bus.subscribe((event, payload) => {
    if (event === 'watch.queued') queued.push(payload as IpcEvents['watch.queued']);
  });
  return { services, queued };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const end = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const queuedFile = (events: IpcEvents['watch.queued'][], relPath: string) =>
  events.find((e) => e.folder === folder && e.files.some((f) => f.relPath === relPath));

describe('watch service', () => {
  it('watches a picked folder and keeps the watch across a restart', async () => {
    const first = start();
    const call = (s: Services, channel: string, arg: unknown) => dispatch(s.handlers, channel, arg, s.pickedPaths);

    // Not picked yet: refused before the handler runs.
    expect(await call(first.services, 'watch.add', { path: folder })).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });
    expect(await call(first.services, 'import.pickFolder', undefined)).toEqual({ ok: true, value: folder });
    // Already there when the folder is marked: the preview's to import, not the watch's.
    writeFileSync(path.join(folder, 'before.pdf'), await makePdf('watch-service-before', 1));
    // Older than the restart's clock margin (2 s) by the time the folder is marked.
    const made = statSync(path.join(folder, 'before.pdf')).ctimeMs;
    await until('the clock past the margin', () => (Date.now() - made > 2_100 ? true : undefined));
    const added = await call(first.services, 'watch.add', { path: folder });
    expect(added).toMatchObject({ ok: true, value: [{ path: folder }] });

    writeFileSync(path.join(folder, 'first.pdf'), await makePdf('watch-service-first', 1));
    const event = await until('first.pdf queued', () => queuedFile(first.queued, 'first.pdf'));
    expect(event.batchId).not.toBeNull();
    expect((await first.services.handlers['watch.list']())[0]?.recent.map((r) => r.relPath)).toEqual(['first.pdf']);
    expect((await first.services.handlers['queue.list']({ offset: 0, limit: 10 })).items.map((i) => i.relPath)).toEqual(
      ['first.pdf'],
    );
    await first.services.close();
    // Dropped while the app was closed: queued when it starts again.
    writeFileSync(path.join(folder, 'while-closed.pdf'), await makePdf('watch-service-closed', 1));

    const second = start();
    await second.services.restore();
    expect(await second.services.handlers['watch.list']()).toMatchObject([{ path: folder }]);
    // Picked in an earlier run: readable again without asking.
    expect(await call(second.services, 'import.scan', { paths: [folder] })).toMatchObject({ ok: true });
    writeFileSync(path.join(folder, 'second.pdf'), await makePdf('watch-service-second', 1));
    await until('second.pdf queued', () => queuedFile(second.queued, 'second.pdf'));
    await until('while-closed.pdf queued', () => queuedFile(second.queued, 'while-closed.pdf'));
    const items = (await second.services.handlers['queue.list']({ offset: 0, limit: 10 })).items;
    expect(items.map((i) => i.relPath).sort()).toEqual(['first.pdf', 'second.pdf', 'while-closed.pdf']);
    expect(second.queued.flatMap((e) => e.files.map((f) => f.relPath)).sort()).toEqual([
      'second.pdf',
      'while-closed.pdf',
    ]);

    expect(await call(second.services, 'watch.remove', { path: folder })).toEqual({ ok: true, value: [] });
    await second.services.close();
    const third = start();
    expect(await third.services.handlers['watch.list']()).toEqual([]);
    await third.services.close();
  }, 90_000);
});
