import { describe, expect, it } from 'vitest';
import type { BatchStats } from '../../common/api';
import type { LocalBatch } from '../../preload/contract';
import { createAppStore } from '../../renderer/store/app-store';
import { createFakeApi } from './fake-api';
import { detail, listItem } from './store-fixtures';

const batchStats: BatchStats = {
  id: 'sb1',
  name: 'Spring',
  createdAt: 't',
  total: 2,
  counts: { uploaded: 0, processing: 0, review_pending: 1, approved: 1, rejected: 0, failed: 0 },
  successRate: 1,
  meanProcessingMs: 400,
  meanConfidence: 0.9,
};
const local = (id: string, serverBatchId: string | null): LocalBatch => ({
  id,
  name: id,
  createdAt: 't',
  serverBatchId,
  fileCount: 2,
});

describe('documents slice', () => {
  it('sends the query, and any filter change starts again at the first page', async () => {
    const fake = createFakeApi({ 'documents.list': () => ({ total: 250, items: [listItem()] }) });
    const store = createAppStore(fake.api);
    await store.getState().setDocumentQuery({ offset: 100 });
    await store.getState().setDocumentQuery({ status: 'review_pending', expiringWithinDays: 90 });
    const lists = fake.calls.filter((c) => c.channel === 'documents.list').map((c) => c.arg);
    expect(lists[0]).toMatchObject({ offset: 100, limit: 100, sort: 'updatedAt', direction: 'desc' });
    expect(lists[1]).toMatchObject({ offset: 0, status: 'review_pending', expiringWithinDays: 90 });
    expect(store.getState().documentsTotal).toBe(250);
  });
});

describe('summary slice', () => {
  it('explains that a batch not yet on the server has no figures', async () => {
    const fake = createFakeApi({ 'batches.listLocal': () => [local('lb1', null)] });
    const store = createAppStore(fake.api);
    await store.getState().loadBatches();
    expect(store.getState().summaryError).toContain('has not reached the server yet');
    expect(fake.calls.some((c) => c.channel === 'batches.stats')).toBe(false);
  });

  it('loads the server batch figures and its documents for the charts; exports CSV by server id', async () => {
    const fake = createFakeApi({
      'batches.listLocal': () => [local('lb1', 'sb1')],
      'batches.stats': () => batchStats,
      'documents.list': () => ({ total: 2, items: [listItem({ id: 'd1' }), listItem({ id: 'd2' })] }),
      'documents.get': ({ id }) => detail({ id }),
      'batches.exportCsv': () => 'documentId\r\nd1\r\n',
    });
    const store = createAppStore(fake.api);
    await store.getState().loadBatches();
    const s = store.getState();
    expect(s.batchStats).toEqual(batchStats);
    expect(s.summaryDetails.map((d) => d.id)).toEqual(['d1', 'd2']);
    expect(fake.calls.find((c) => c.channel === 'documents.list')?.arg).toMatchObject({ batchId: 'sb1' });
    await expect(store.getState().exportCsv()).resolves.toBe('documentId\r\nd1\r\n');
    expect(fake.calls.at(-1)).toEqual({ channel: 'batches.exportCsv', arg: { batchId: 'sb1' } });
  });
});
