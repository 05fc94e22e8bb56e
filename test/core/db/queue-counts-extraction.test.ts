import { afterAll, describe, expect, it } from 'vitest';
import { openQueueDb } from '../../../main/core/db/open-queue-db';
import { QueueStore } from '../../../main/core/db/queue-store';
import { DocumentsMirror } from '../../../main/core/sync/documents-mirror';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-counts-');
afterAll(() => tmp.cleanup());

describe('queue counts', () => {
  it('count sent files whose document failed extraction, per batch and overall, and give each batch its own figures', () => {
    const db = openQueueDb(`${tmp.dir}/q.sqlite`);
    const q = new QueueStore(db);
    const file = (i: number) => ({
      path: `/f${i}.pdf`,
      relPath: `f${i}.pdf`,
      fileName: `f${i}.pdf`,
      sizeBytes: 10,
      mtimeMs: 1,
      sha256: String(i).padStart(64, '0'),
      pages: 1,
    });
    const a = q.createBatch('A');
    const b = q.createBatch('B');
    const [a1, a2, a3] = q.addFiles(a.id, [file(1), file(2), file(3)]) as string[];
    const [b1] = q.addFiles(b.id, [file(4)]) as string[];
    q.update(a1!, { state: 'uploaded', documentId: 'd1' });
    q.update(a2!, { state: 'duplicate', documentId: 'd2' });
    q.update(a3!, { state: 'failed' });
    q.update(b1!, { state: 'uploaded', documentId: 'd4' });
    const mirror = new DocumentsMirror(db);
    const summary = (id: string, status: 'failed' | 'review_pending', seq: number) => ({
      id,
      batchId: null,
      fileName: `${id}.pdf`,
      sizeBytes: 10,
      sha256: id.padEnd(64, '0'),
      status,
      failureReason: status === 'failed' ? 'corrupt' : null,
      provider: null,
      docType: null,
      docTypeConfidence: null,
      pages: 1,
      expirationDate: null,
      minConfidence: null,
      createdAt: 'x',
      updatedAt: 'x',
      changeSeq: seq,
    });
    // The change feed records each document's status on its queue rows.
    mirror.apply([summary('d1', 'failed', 1), summary('d2', 'failed', 2), summary('d4', 'review_pending', 3)], 3);
    expect(q.counts().extractionFailed).toBe(2);
    expect(q.counts(a.id)).toMatchObject({ total: 3, extractionFailed: 2 });
    expect(q.counts(b.id).extractionFailed).toBe(0);
    // Per batch, newest first, each with its own bytes; an empty batch is left out.
    q.createBatch('Empty');
    const [a4] = q.addFiles(a.id, [file(5)]) as string[];
    q.update(a4!, { state: 'cancelled' });
    const figures = q.batchFigures();
    expect(figures.map((f) => f.name)).toEqual(['B', 'A']);
    expect(figures[1]).toMatchObject({ batchId: a.id, total: 4, extractionFailed: 2, bytesTotal: 30, bytesDone: 20 });
    expect(figures[1]!.byState).toMatchObject({ uploaded: 1, duplicate: 1, failed: 1, cancelled: 1 });
    expect(figures[0]).toMatchObject({ batchId: b.id, total: 1, extractionFailed: 0, bytesTotal: 10, bytesDone: 10 });
    // The same figures counts() gives for one batch.
    for (const f of figures)
      expect(q.counts(f.batchId)).toEqual({
        total: f.total,
        byState: f.byState,
        extractionFailed: f.extractionFailed,
        bytesTotal: f.bytesTotal,
        bytesDone: f.bytesDone,
      });
    db.close();
  });
});
