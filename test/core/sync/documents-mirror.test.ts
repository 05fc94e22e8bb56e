import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentSummary } from '../../../common/api';
import { openQueueDb } from '../../../main/core/db/open-queue-db';
import { DocumentsMirror } from '../../../main/core/sync/documents-mirror';
import { QueueStore } from '../../../main/core/db/queue-store';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-mirror-');
afterAll(() => tmp.cleanup());

const doc = (i: number, over: Partial<DocumentSummary> = {}): DocumentSummary => ({
  id: `d${i}`,
  batchId: i % 2 ? 'b1' : 'b2',
  fileName: `file_${i}.pdf`,
  sizeBytes: 100,
  sha256: String(i).padStart(64, '0'),
  status: 'processing',
  failureReason: null,
  provider: i === 3 ? 'Dr 100% Real' : null,
  docType: null,
  docTypeConfidence: null,
  pages: 1,
  expirationDate: null,
  minConfidence: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: `2026-01-01T00:00:0${i}Z`,
  changeSeq: i,
  ...over,
});

describe('documents mirror', () => {
  it('applies pages of changes with the cursor, keeps the newest version, and filters, sorts and pages offline', () => {
    const db = openQueueDb(`${tmp.dir}/q.sqlite`);
    const m = new DocumentsMirror(db);
    expect(m.cursor()).toBe(0);
    m.apply([doc(1), doc(2), doc(3), doc(4)], 4);
    m.apply(
      [
        doc(2, {
          status: 'review_pending',
          docType: 'dea_registration',
          changeSeq: 6,
          expirationDate: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
        }),
      ],
      6,
    );
    // An older copy arriving late does not win.
    m.apply([doc(2, { status: 'processing', changeSeq: 2 })], 6);
    expect(m.cursor()).toBe(6);
    expect(m.get('d2')?.status).toBe('review_pending');

    expect(m.list({ status: 'processing' }).total).toBe(3);
    expect(
      m
        .list({ batchId: 'b1' })
        .items.map((d) => d.id)
        .sort(),
    ).toEqual(['d1', 'd3']);
    expect(m.list({ docType: 'dea_registration' }).items.map((d) => d.id)).toEqual(['d2']);
    expect(m.list({ expiringWithinDays: 30 }).items.map((d) => d.id)).toEqual(['d2']);
    // LIKE wildcards in a search are literal.
    expect(m.list({ search: '100%' }).items.map((d) => d.id)).toEqual(['d3']);
    expect(m.list({ search: 'file_' }).total).toBe(4);
    expect(m.list({ search: 'file%' }).total).toBe(0);
    const page = m.list({ sort: 'fileName', direction: 'asc', offset: 1, limit: 2 });
    expect(page).toMatchObject({ total: 4 });
    expect(page.items.map((d) => d.fileName)).toEqual(['file_2.pdf', 'file_3.pdf']);
    expect(m.countByStatus()).toEqual({ processing: 3, review_pending: 1 });
    // A deleted batch's documents leave the mirror, and their queue entries stop claiming "uploaded".
    const q = new QueueStore(db);
    const [fileId] = q.addFiles(q.createBatch('B').id, [
      {
        path: '/x.pdf',
        relPath: 'x.pdf',
        fileName: 'x.pdf',
        sizeBytes: 1,
        mtimeMs: 1,
        sha256: 'a'.repeat(64),
        pages: 1,
      },
    ]);
    q.update(fileId as string, { state: 'uploaded', documentId: 'd1' });
    m.apply([], 7, ['d1', 'd3']);
    expect(q.getFile(fileId as string)).toMatchObject({
      state: 'cancelled',
      document_id: null,
      error_kind: 'not_found',
    });
    expect(
      m
        .list({})
        .items.map((d) => d.id)
        .sort(),
    ).toEqual(['d2', 'd4']);
    expect(m.get('d1')).toBeNull();
    expect(m.cursor()).toBe(7);
    db.close();
  });
});
