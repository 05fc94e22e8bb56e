import { describe, expect, it } from 'vitest';
import type { WatchedFolder } from '../../common/ipc';
import { connectEvents, createAppStore } from '../../renderer/store/app-store';
import { createFakeApi } from './fake-api';
import { queueItem } from './store-fixtures';

const folder = (path: string): WatchedFolder => ({ path, addedAt: 't', eventsActive: true, recent: [], skipped: [] });

describe('watch slice', () => {
  it('lists watched folders, adds what each queued (newest first) with what it left out, and reloads the queue', async () => {
    let watched = [folder('/scans')];
    const fake = createFakeApi({
      'watch.list': () => watched,
      'watch.add': ({ path }) => (watched = [...watched, folder(path)]),
      'watch.remove': ({ path }) => (watched = watched.filter((w) => w.path !== path)),
      'queue.list': () => ({ total: 1, items: [queueItem('f1')] }),
    });
    const store = createAppStore(fake.api);
    connectEvents(store, fake.api);
    await store.getState().loadWatchedFolders();
    await store.getState().watchFolder('/inbox');
    expect(store.getState().watchedFolders.map((w) => w.path)).toEqual(['/scans', '/inbox']);

    const event = { folder: '/scans', at: 't1', batchId: 'b', alreadyQueued: 0, skipped: [] };
    fake.emit('watch.queued', { ...event, files: [{ relPath: 'a.pdf', fileId: 'f1', sizeBytes: 1 }] });
    fake.emit('watch.queued', {
      ...event,
      batchId: null,
      files: [],
      skipped: [{ relPath: 'fake.pdf', reason: 'not a PDF' }],
    });
    expect(store.getState().watchedFolders[0]?.recent.map((r) => r.relPath)).toEqual(['a.pdf']);
    expect(store.getState().watchSkipped['/scans']).toEqual([{ relPath: 'fake.pdf', reason: 'not a PDF' }]);
    // Only the event that queued files reloaded the queue.
    expect(fake.calls.filter((c) => c.channel === 'queue.list')).toHaveLength(1);

    await store.getState().unwatchFolder('/scans');
    expect(store.getState().watchedFolders.map((w) => w.path)).toEqual(['/inbox']);
  });

  it('shows a refused watch as an error', async () => {
    const fake = createFakeApi({
      'watch.add': () => {
        throw new Error('[invalid_input] "/x/a.pdf" is not a folder');
      },
    });
    const store = createAppStore(fake.api);
    await store.getState().watchFolder('/x/a.pdf');
    expect(store.getState().watchError).toMatch(/not a folder/);
  });
});
