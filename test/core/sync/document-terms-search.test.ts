import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentDetail, DocumentSummary } from '../../../common/api';
import { AppError } from '../../../common/errors';
import { openQueueDb } from '../../../main/core/db/open-queue-db';
import { documentTerms, termsMatchQuery } from '../../../main/core/sync/document-terms';
import { DocumentsMirror } from '../../../main/core/sync/documents-mirror';
import { nearWords, withinEdits } from '../../../main/core/sync/name-typos';
import { TermsIndexer } from '../../../main/core/sync/terms-indexer';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-terms-');
afterAll(() => tmp.cleanup());

const at = (value: unknown, confidence = 0.95) => ({
  value,
  confidence,
  page: 1,
  bbox: [0, 0, 0.1, 0.1] as [number, number, number, number],
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
    docType: null,
    docTypeConfidence: null,
    pages: 1,
    expirationDate: null,
    minConfidence: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    changeSeq: 1,
    ...over,
  };
}

function detailOf(
  s: DocumentSummary,
  fields: Record<string, ReturnType<typeof at> | null>,
  corrections: DocumentDetail['corrections'] = {},
): DocumentDetail {
  return {
    ...s,
    corrections,
    reviewedBy: null,
    reviewedAt: null,
    attempts: 1,
    extraction: {
      docType: 'dea_registration',
      docTypeConfidence: 0.9,
      fields,
      pages: 1,
      ocr: false,
      ms: 1,
      warnings: [],
      pipelineVersion: '1',
      createdAt: '2026-01-01T00:00:00Z',
    },
  };
}

describe('document terms', () => {
  it('takes the holder, the numbers and the activity titles, corrections first', () => {
    const s = summary('t');
    expect(
      documentTerms(
        detailOf(
          s,
          { registrantName: at('MORRIS, DMITRI'), deaNumber: at('BM4447783'), npi: at('1234567893') },
          { registrantName: { value: 'Morris, Dmitri R', by: 'me', at: 'now' } },
        ),
      ),
    ).toEqual({
      person: 'Morris, Dmitri R',
      numbers: ['BM4447783', '1234567893'],
      titles: [],
    });
    const transcript = detailOf(s, {
      participantName: at('Ana Núñez'),
      activities: at([{ title: 'Opioid Prescribing Safety' }, { title: ' ' }, { title: 'Sepsis Update 2026' }]),
    });
    expect(documentTerms(transcript)).toEqual({
      person: 'Ana Núñez',
      numbers: [],
      titles: ['Opioid Prescribing Safety', 'Sepsis Update 2026'],
    });
    expect(documentTerms({ extraction: null, corrections: {} })).toEqual({ person: null, numbers: [], titles: [] });
  });

  it('turns typed words into a prefix query with FTS operators and quotes as plain text', () => {
    expect(termsMatchQuery('mor dmi')).toBe('"mor"* AND "dmi"*');
    expect(termsMatchQuery('"x" OR NEAR(y)')).toBe('"x"* AND "OR"* AND "NEAR"* AND "y"*');
    expect(termsMatchQuery('morrsi dm', (w) => (w === 'morrsi' ? ['morris', 'norris'] : []))).toBe(
      '("morrsi"* OR "morris" OR "norris") AND "dm"*',
    );
    expect(termsMatchQuery(' -*- ')).toBeNull();
  });
});

describe('name typos', () => {
  it('measures edits with swaps of neighbours, and stops past the limit', () => {
    expect(withinEdits('morris', 'morris', 0)).toBe(true);
    expect(withinEdits('morrsi', 'morris', 1)).toBe(true);
    expect(withinEdits('moris', 'morris', 1)).toBe(true);
    expect(withinEdits('norris', 'morris', 1)).toBe(true);
    expect(withinEdits('nrosri', 'morris', 1)).toBe(false);
    expect(withinEdits('dimitry', 'dmitri', 2)).toBe(true);
    expect(withinEdits('dimitry', 'dmitri', 1)).toBe(false);
    expect(withinEdits('ab', 'abcd', 1)).toBe(false);
  });

  it('offers near name words only for words long enough to mean something', () => {
    const names = ['morris', 'norris', 'dmitri', 'ana', 'nunez'];
    expect(nearWords('Morrsi', names)).toEqual(['morris']);
    expect(nearWords('Borris', names)).toEqual(['morris', 'norris']);
    expect(nearWords('Núnes', names)).toEqual(['nunez']);
    expect(nearWords('ann', names)).toEqual([]);
    expect(nearWords('m0rris', names)).toEqual([]);
  });
});

describe('search over the mirror', () => {
  it('indexes extracted documents through the indexer and finds them by name, number and title', async () => {
    const db = openQueueDb(`${tmp.dir}/search.sqlite`);
    const mirror = new DocumentsMirror(db);
    const dea = summary('dea', { changeSeq: 1 });
    const cme = summary('cme', { changeSeq: 2 });
    const busy = summary('busy', { status: 'processing', changeSeq: 3 });
    const gone = summary('gone', { changeSeq: 4 });
    mirror.apply([dea, cme, busy, gone], 4);
    const details: Record<string, DocumentDetail> = {
      dea: detailOf(dea, { registrantName: at('MORRIS, DMITRI'), deaNumber: at('BM4447783') }),
      cme: detailOf(cme, {
        participantName: at('Ana Núñez'),
        activityTitle: at('Opioid Prescribing Safety'),
        npi: at('1234567893'),
      }),
    };
    const asked: string[] = [];
    const api = {
      getDocument: async (id: string) => {
        asked.push(id);
        const d = details[id];
        if (!d) throw new AppError('not_found', `No document ${id}.`);
        return d;
      },
    };
    const indexer = new TermsIndexer(api, mirror);
    expect((await indexer.indexPending()).sort()).toEqual(['cme', 'dea']);
    // Processing documents have nothing to read yet; a vanished one is not asked for again.
    expect(asked.sort()).toEqual(['cme', 'dea', 'gone']);
    expect(await indexer.indexPending()).toEqual([]);
    expect(asked).toHaveLength(3);

    const found = (search: string) =>
      mirror
        .list({ search })
        .items.map((d) => d.id)
        .sort();
    expect(found('bm4447783')).toEqual(['dea']);
    expect(found('BM444')).toEqual(['dea']);
    expect(found('dmitri morris')).toEqual(['dea']);
    expect(found('mor')).toEqual(['dea']);
    expect(found('nunez')).toEqual(['cme']);
    expect(found('1234567893')).toEqual(['cme']);
    expect(found('opioid safety')).toEqual(['cme']);
    expect(found('opioid morris')).toEqual([]);
    // Names tolerate a typo or two (long words); other terms and words being typed do not.
    expect(found('morrsi')).toEqual(['dea']);
    expect(found('dimitri')).toEqual(['dea']);
    expect(found('dmitri morrsi')).toEqual(['dea']);
    expect(found('morrsi dmitri')).toEqual(['dea']);
    expect(found('Nunes')).toEqual(['cme']);
    expect(found('opiod')).toEqual([]);
    expect(found('bm4447738')).toEqual([]);
    // File names still match anywhere inside them.
    expect(found('usy.p')).toEqual(['busy']);
    expect(mirror.list({ search: 'dmitri' }).items[0]?.personName).toBe('MORRIS, DMITRI');

    // A review changes the row: its terms are read again, and the old name no longer matches.
    const reviewed = { ...dea, status: 'approved' as const, changeSeq: 5 };
    mirror.apply([reviewed], 5);
    expect(mirror.needingTerms(10)).toEqual(['dea']);
    details.dea = detailOf(
      reviewed,
      { registrantName: at('MORRIS, DMITRI'), deaNumber: at('BM4447783') },
      { registrantName: { value: 'Dmitry Morrison', by: 'me', at: 'now' } },
    );
    expect(await indexer.indexPending()).toEqual(['dea']);
    expect(found('dmitry')).toEqual(['dea']);
    // The old terms are replaced, not added to ('dmitri' would still find it as a typo of 'dmitry').
    expect(db.prepare("SELECT person FROM document_terms WHERE document_id = 'dea'").all()).toEqual([
      { person: 'Dmitry Morrison' },
    ]);
    expect(mirror.list({ search: 'dmitry' }).items[0]?.personName).toBe('Dmitry Morrison');

    // A deleted document leaves the index with its row.
    mirror.apply([], 6, ['cme']);
    expect(found('opioid')).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM document_terms WHERE document_id = 'cme'").get()).toEqual({ n: 0 });
    db.close();
  });
});
