import { describe, expect, it } from 'vitest';
import type { CmeActivity } from '../../common/extraction';
import { restorePoints } from '../../server/extraction/doc-types/cme-transcript';
import { documentVocabulary, mendText } from '../../server/extraction/ocr-vocabulary';
import type { Word } from '../../server/extraction/types';

const word = (text: string, conf: number): Word => ({ text, conf, page: 1, x0: 0, y0: 0, x1: 0.1, y1: 0.01 });

describe('mending OCR misreads from the document itself', () => {
  const vocab = documentVocabulary(
    ['Clinical', 'Decision', 'Implicit', 'Guidelines', 'Nodule', 'Outcomes', 'for', 'Part', 'Park'].map((t) =>
      word(t, 0.96),
    ),
  );

  it('reads a glyph pair taken for one letter, or one wrong letter, as the clear word', () => {
    expect(mendText('Imphcit Bias in Climcal Decision Making', vocab)).toBe(
      'Implicit Bias in Clinical Decision Making',
    );
    expect(mendText('Thyroid Noduie Evaluation: Qutcomes fer Guidehnes', vocab)).toBe(
      'Thyroid Nodule Evaluation: Outcomes for Guidelines',
    );
  });

  it('leaves a word alone when two clear words are within reach, or none', () => {
    // "Parc" is one letter from both "Part" and "Park".
    expect(mendText('Parc II', vocab)).toBe('Parc II');
    expect(mendText('Hepatitis Elimination', vocab)).toBe('Hepatitis Elimination');
  });

  it('learns only from words read clearly', () => {
    const unsure = documentVocabulary([word('Clinical', 0.5)]);
    expect(mendText('Climcal', unsure)).toBe('Climcal');
  });
});

describe('figures whose decimal point OCR lost', () => {
  const rows = (...credits: number[]): CmeActivity[] =>
    credits.map((c, i) => ({
      title: `T${i}`,
      provider: null,
      completionDate: '2024-01-01',
      credits: c,
      creditType: null,
    }));

  it('gets the point back when the rows then add up to the printed total', () => {
    const list = rows(1.25, 25, 12, 155, 0.5);
    expect(restorePoints(list, 1.25 + 2.5 + 12 + 15.5 + 0.5)).toBe(true);
    expect(list.map((a) => a.credits)).toEqual([1.25, 2.5, 12, 15.5, 0.5]);
  });

  it('changes nothing when no choice makes the total, or the rows already add up', () => {
    const list = rows(1.25, 25, 12);
    expect(restorePoints(list, 30)).toBe(false);
    expect(list.map((a) => a.credits)).toEqual([1.25, 25, 12]);
    expect(restorePoints(rows(25, 15), 40)).toBe(false);
  });
});
