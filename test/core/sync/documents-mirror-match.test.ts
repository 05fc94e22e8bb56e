/**
 * Issue 18: the documents mirror keeps each document's provider match as the change feed sends
 * it, finds documents by the matched provider's name, and does not read a document again to
 * re-index its terms when only its match changed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentMatch, DocumentSummary } from '../../../common/api';
import { openQueueDb } from '../../../main/core/db/open-queue-db';
import { DocumentsMirror } from '../../../main/core/sync/documents-mirror';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-mirror-match-');
afterAll(() => tmp.cleanup());

const sehgal = (over: Partial<DocumentMatch> = {}): DocumentMatch => ({
  providerId: 'p1',
  providerName: 'Ashok K. Sehgal',
  evidence: 'npi',
  score: 0.99,
  needsConfirmation: false,
  ...over,
});

function summary(id: string, over: Partial<DocumentSummary> = {}): DocumentSummary {
  return {
    id,
    batchId: 'b1',
    fileName: `${id}.pdf`,
    sizeBytes: 100,
    sha256: id.padEnd(64, '0'),
    status: 'review_pending',
    failureReason: null,
    provider: null,
    docType: 'dea_registration',
    docTypeConfidence: 0.9,
    pages: 1,
    expirationDate: null,
    minConfidence: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    changeSeq: 1,
    ...over,
  };
}

describe('documents mirror: provider matches', () => {
  it('lists each document with its match (none for rows mirrored before matches) and finds it by the provider', () => {
    const m = new DocumentsMirror(openQueueDb(`${tmp.dir}/list.sqlite`));
    // A summary from a server before matches: no match key at all.
    const { match: _none, ...old } = summary('old', { changeSeq: 1 });
    m.apply(
      [
        old as DocumentSummary,
        summary('scan_0001', { changeSeq: 2, match: sehgal() }),
        summary('scan_0002', { changeSeq: 3, match: sehgal({ providerName: 'Anita R. Sehgal', providerId: 'p2' }) }),
        summary('scan_0003', { changeSeq: 4, match: null }),
      ],
      4,
    );
    const items = new Map(m.list({}).items.map((d) => [d.id, d.match]));
    expect(items.get('old')).toBeNull();
    expect(items.get('scan_0001')).toEqual(sehgal());
    expect(items.get('scan_0003')).toBeNull();
    expect(m.list({ search: 'ashok k' }).items.map((d) => d.id)).toEqual(['scan_0001']);
    expect(
      m
        .list({ search: 'Sehgal' })
        .items.map((d) => d.id)
        .sort(),
    ).toEqual(['scan_0001', 'scan_0002']);
    // The name's LIKE escapes wildcards as the file name's does.
    expect(m.list({ search: '%' }).items).toEqual([]);
  });

  it('keeps the indexed terms when only the match changed, and re-indexes after a change of the document', () => {
    const m = new DocumentsMirror(openQueueDb(`${tmp.dir}/terms.sqlite`));
    m.apply([summary('d1', { changeSeq: 5 })], 5);
    expect(m.needingTerms(10)).toEqual(['d1']);
    m.indexTerms('d1', 5, { person: 'Ashok Sehgal', numbers: ['AS1234563'], titles: [] });
    expect(m.needingTerms(10)).toEqual([]);

    // The server announced a match: same updated_at and status, a later sequence.
    m.apply([summary('d1', { changeSeq: 9, match: sehgal({ needsConfirmation: true, score: 0.7 }) })], 9);
    expect(m.needingTerms(10)).toEqual([]);
    expect(m.list({}).items[0]?.match).toMatchObject({ needsConfirmation: true });
    expect(m.list({ search: 'AS1234563' }).items.map((d) => d.id)).toEqual(['d1']);

    // A review changes the document itself: its terms are read again.
    m.apply([summary('d1', { changeSeq: 12, status: 'approved', updatedAt: '2026-01-02T00:00:00Z' })], 12);
    expect(m.needingTerms(10)).toEqual(['d1']);
  });
});
