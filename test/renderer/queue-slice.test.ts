import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BatchQueueFigures, QueueItem } from '../../preload/contract';
import { connectEvents, createAppStore } from '../../renderer/store/app-store';
import { mergeQueueItems } from '../../renderer/store/queue-slice';
import { createFakeApi } from './fake-api';
import { queueItem } from './store-fixtures';

const stats = {
  total: 0,
  byState: { queued: 0, paused: 0, uploading: 0, completing: 0, uploaded: 0, duplicate: 0, failed: 0, cancelled: 0 },
  extractionFailed: 0,
  bytesTotal: 0,
  bytesDone: 0,
  bytesPerSecond: 0,
  etaSeconds: null,
  online: true,
  lastError: null,
};

describe('queue slice', () => {
  it('replaces changed items in place and appends new ones', () => {
    const current = [queueItem('a'), queueItem('b')];
    const merged = mergeQueueItems(
      current,
      [queueItem('b', { state: 'uploading', bytesSent: 500 }), queueItem('c')],
      null,
    );
    expect(merged.map((i) => [i.id, i.state, i.bytesSent])).toEqual([
      ['a', 'queued', 0],
      ['b', 'uploading', 500],
      ['c', 'queued', 0],
    ]);
  });

  it('drops items that left the filtered state and ignores new ones outside it', () => {
    const current = [queueItem('a', { state: 'failed' }), queueItem('b', { state: 'failed' })];
    const merged = mergeQueueItems(
      current,
      [queueItem('a', { state: 'queued' }), queueItem('c', { state: 'queued' }), queueItem('d', { state: 'failed' })],
      'failed',
    );
    expect(merged.map((i) => i.id)).toEqual(['b', 'd']);
  });

  it('keeps the newer copy when an event and a page disagree', () => {
    const fresh = queueItem('a', { state: 'uploaded', updatedAt: '2026-01-01T00:00:02Z' });
    const stale = queueItem('a', { state: 'uploading', updatedAt: '2026-01-01T00:00:01Z' });
    expect(mergeQueueItems([fresh], [stale], null)[0]?.state).toBe('uploaded');
    expect(mergeQueueItems([stale], [fresh], null)[0]?.state).toBe('uploaded');
  });

  it('does not lose changes that arrive while the pages load', async () => {
    let answer!: () => void;
    const fake = createFakeApi({
      'queue.list': () =>
        new Promise(
          (r) =>
            (answer = () =>
              r({ total: 1, items: [queueItem('a', { state: 'uploading', updatedAt: '2026-01-01T00:00:01Z' })] })),
        ),
      'queue.stats': () => stats,
    });
    const store = createAppStore(fake.api);
    const loading = store.getState().loadQueue();
    // The file finished after the page was read but before the page arrived.
    store.getState().applyQueueItems([queueItem('a', { state: 'uploaded', updatedAt: '2026-01-01T00:00:02Z' })]);
    answer();
    await loading;
    expect(store.getState().queueItems.map((i) => i.state)).toEqual(['uploaded']);
  });

  it('pages through the whole queue, 1,000 rows per call', async () => {
    const all: QueueItem[] = Array.from({ length: 2500 }, (_, i) => queueItem(`f${i}`));
    const fake = createFakeApi({
      'queue.list': ({ offset, limit }) => ({ total: all.length, items: all.slice(offset, offset + limit) }),
      'queue.stats': () => stats,
    });
    const store = createAppStore(fake.api);
    await store.getState().loadQueue();
    expect(store.getState().queueItems).toHaveLength(2500);
    expect(store.getState().queueItems[2499]?.id).toBe('f2499');
    expect(
      fake.calls.filter((c) => c.channel === 'queue.list').map((c) => (c.arg as { offset: number }).offset),
    ).toEqual([0, 1000, 2000]);
  });

  it('applies a filter by reloading with that state', async () => {
    const fake = createFakeApi({
      'queue.list': ({ state }) => ({ total: 1, items: [queueItem('x', { state: state ?? 'queued' })] }),
      'queue.stats': () => stats,
    });
    const store = createAppStore(fake.api);
    await store.getState().setQueueFilter('failed');
    expect(fake.calls.find((c) => c.channel === 'queue.list')?.arg).toEqual({
      offset: 0,
      limit: 1000,
      state: 'failed',
    });
    expect(store.getState().queueItems[0]?.state).toBe('failed');
  });

  it('sends per-file and all-file actions and surfaces a refusal', async () => {
    const fake = createFakeApi({
      'queue.pause': () => undefined,
      'queue.retry': () => Promise.reject(new Error('Not signed in: sign in first.')),
    });
    const store = createAppStore(fake.api);
    await store.getState().queueAction('pause', { fileIds: ['a'] });
    expect(fake.calls.at(-1)).toEqual({ channel: 'queue.pause', arg: { fileIds: ['a'] } });
    await store.getState().queueAction('retry', {});
    expect(store.getState().queueError).toBe('Not signed in: sign in first.');
  });
});

describe('queue figures per batch', () => {
  afterEach(() => vi.useRealTimers());
  const batch = (name: string, uploaded: number): BatchQueueFigures => ({
    batchId: name,
    name,
    createdAt: 'x',
    total: uploaded,
    byState: { ...stats.byState, uploaded },
    extractionFailed: 0,
    bytesTotal: uploaded * 10,
    bytesDone: uploaded * 10,
  });

  it('loads them with the queue, and follows stats events at most once a second', async () => {
    vi.useFakeTimers();
    let uploaded = 1;
    const fake = createFakeApi({
      'queue.list': () => ({ total: 0, items: [] }),
      'queue.stats': () => stats,
      'queue.batchFigures': () => [batch('B', uploaded), batch('A', 4)],
    });
    const store = createAppStore(fake.api);
    connectEvents(store, fake.api);
    await store.getState().loadQueue();
    expect(store.getState().queueBatches.map((b) => [b.name, b.byState.uploaded])).toEqual([
      ['B', 1],
      ['A', 4],
    ]);
    const asked = () => fake.calls.filter((c) => c.channel === 'queue.batchFigures').length;
    uploaded = 2;
    for (let i = 0; i < 5; i++) fake.emit('queue.stats', stats);
    expect(asked()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked()).toBe(2);
    expect(store.getState().queueBatches[0]?.byState.uploaded).toBe(2);
  });
});
