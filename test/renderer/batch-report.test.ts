import { describe, expect, it } from 'vitest';
import type { DocumentSummary } from '../../common/api';
import { batchReport, batchReportCsv } from '../../renderer/features/summary/batch-report';
import { createAppStore } from '../../renderer/store/app-store';
import { createFakeApi } from './fake-api';
import { detail, listItem } from './store-fixtures';

const doc = (id: string, over: Partial<DocumentSummary>) =>
  listItem({
    id,
    fileName: `${id}.pdf`,
    createdAt: '2026-12-05T10:00:00.000Z',
    updatedAt: '2026-12-05T10:00:05.000Z',
    ...over,
  });

describe('batch report', () => {
  it('times the batch from the first document to the last result, by type, with the failures and why', () => {
    const docs = [
      doc('a', {
        docType: 'dea_registration',
        status: 'approved',
        createdAt: '2026-12-05T10:00:01.000Z',
        updatedAt: '2026-12-05T11:00:00.000Z',
      }),
      doc('b', { docType: 'dea_registration', status: 'review_pending' }),
      doc('c', { docType: 'medical_license', status: 'rejected' }),
      doc('z', {
        docType: null,
        status: 'failed',
        failureReason: 'The PDF is damaged (corrupt).',
        updatedAt: '2026-12-05T10:02:30.000Z',
      }),
      doc('y', { docType: null, status: 'processing' }),
    ];
    // The approval an hour later is not a result: extraction times are.
    const details = [
      detail({ id: 'a', extraction: { ...detail().extraction!, createdAt: '2026-12-05T10:01:00.000Z' } }),
      detail({ id: 'b', extraction: { ...detail().extraction!, createdAt: '2026-12-05T10:01:40.000Z' } }),
    ];
    const report = batchReport(docs, details);
    expect(report.firstAt).toBe('2026-12-05T10:00:00.000Z');
    expect(report.lastResultAt).toBe('2026-12-05T10:02:30.000Z');
    expect(report.elapsedSeconds).toBe(150);
    expect(report.stillProcessing).toBe(1);
    expect(report.byDocType.map((r) => [r.label, r.total, r.extracted, r.approved, r.failed, r.pending])).toEqual([
      ['DEA registration', 2, 2, 1, 0, 0],
      ['Not read yet', 2, 0, 0, 1, 1],
      ['Medical license', 1, 1, 0, 0, 0],
    ]);
    // Every document counted once across the types.
    expect(report.byDocType.reduce((n, r) => n + r.extracted + r.failed + r.pending, 0)).toBe(docs.length);
    expect(report.failures).toEqual([{ fileName: 'z.pdf', reason: 'The PDF is damaged (corrupt).' }]);
    const csv = batchReportCsv('=Spring', report).split('\r\n');
    expect(csv[0]).toBe("batch,'=Spring");
    expect(csv[3]).toBe('totalSeconds,150');
    expect(csv).toContain('dea_registration,2,2,1,0,0');
    expect(csv).toContain('z.pdf,The PDF is damaged (corrupt).');
  });

  it('has no total time before any result', () => {
    expect(batchReport([doc('y', { status: 'processing' })], []).elapsedSeconds).toBeNull();
    expect(batchReport([], [])).toMatchObject({ byDocType: [], failures: [], elapsedSeconds: null });
  });
});

describe('summary slice', () => {
  it('pages every document of the batch from the mirror, and reads details of the newest only', async () => {
    const all = Array.from({ length: 1200 }, (_, i) => listItem({ id: `d${i}` }));
    const fake = createFakeApi({
      'batches.listLocal': () => [{ id: 'lb1', name: 'Big', createdAt: 't', serverBatchId: 'sb1', fileCount: 1200 }],
      'batches.stats': () => ({
        id: 'sb1',
        name: 'Big',
        createdAt: 't',
        total: 1200,
        counts: { uploaded: 0, processing: 0, review_pending: 1200, approved: 0, rejected: 0, failed: 0 },
        successRate: 1,
        meanProcessingMs: 1,
        meanConfidence: 1,
      }),
      'documents.list': ({ offset = 0, limit = 100 }) => ({
        total: all.length,
        items: all.slice(offset, offset + limit),
      }),
      'documents.get': ({ id }) => detail({ id }),
    });
    const store = createAppStore(fake.api);
    await store.getState().loadBatches();
    expect(store.getState().summaryDocuments).toHaveLength(1200);
    expect(store.getState().summaryDetails).toHaveLength(500);
    expect(
      fake.calls.filter((c) => c.channel === 'documents.list').map((c) => (c.arg as { offset: number }).offset),
    ).toEqual([0, 1000]);
  });
});
