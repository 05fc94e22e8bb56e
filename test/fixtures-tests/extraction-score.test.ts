import { describe, expect, it } from 'vitest';
import { matchActivities, valueMatches } from '../../bench/extraction-normalise';
import {
  expectedCalibrationError,
  percentiles,
  scoreRun,
  wrongValues,
  type ScoredDoc,
} from '../../bench/extraction-score';
import type { CmeActivity, ExtractionOutcome, FieldValue } from '../../common/extraction';
import type { ManifestEntry } from '../fixtures/credentials/types';

const fv = (value: FieldValue['value'], confidence = 0.95): FieldValue => ({
  value,
  confidence,
  page: 1,
  bbox: [0, 0, 0.1, 0.1],
});

describe('value normalisation (spec Scoring)', () => {
  it('compares names as token sets without punctuation and degrees', () => {
    expect(valueMatches('registrantName', 'James A. Smith', 'SMITH, JAMES A MD')).toBe(true);
    expect(valueMatches('licenseeName', "Maria O'Brien", 'OBRIEN, MARIA, M.D., FACP')).toBe(true);
    expect(valueMatches('participantName', 'Hyun Kim', 'Hyun Kim, PA-C')).toBe(true);
    expect(valueMatches('registrantName', 'James A. Smith', 'James Smith')).toBe(false);
    expect(valueMatches('registrantName', 'James A. Smith', 'James A. Smithe')).toBe(false);
  });

  it('compares titles and providers as upper-case alphanumeric token sequences', () => {
    expect(valueMatches('activityTitle', 'Board Review: Pediatric Asthma', 'BOARD REVIEW PEDIATRIC ASTHMA')).toBe(true);
    expect(valueMatches('provider', 'Audio-Digest Foundation', 'Audio Digest Foundation')).toBe(true);
    expect(valueMatches('activityTitle', 'Board Review: Pediatric Asthma', 'Pediatric Asthma Board Review')).toBe(
      false,
    );
  });

  it('compares identifiers upper-case without spaces and hyphens, keeping dots', () => {
    expect(valueMatches('deaNumber', 'AP5836727', 'ap 583-6727')).toBe(true);
    expect(valueMatches('licenseNumber', '036.123456', '036.123456')).toBe(true);
    expect(valueMatches('licenseNumber', '036.123456', '036123456')).toBe(false);
    expect(valueMatches('npi', '1234567893', '1234567898')).toBe(false);
  });

  it('compares numbers within 0.001 and requires a number', () => {
    expect(valueMatches('credits', 12.5, 12.5004)).toBe(true);
    expect(valueMatches('credits', 12.5, 12.502)).toBe(false);
    expect(valueMatches('totalCredits', 12.5, '12.5')).toBe(false);
  });

  it('compares schedules as sets and dates exactly', () => {
    expect(valueMatches('schedules', ['2', '2N', '5'], ['5', '2', '2N'])).toBe(true);
    expect(valueMatches('schedules', ['2', '2N', '5'], ['2', '5'])).toBe(false);
    expect(valueMatches('expirationDate', '2025-03-04', '2025-03-04')).toBe(true);
    expect(valueMatches('expirationDate', '2025-03-04', '2025-3-4')).toBe(false);
  });

  it('treats null as right only where the truth is null', () => {
    expect(valueMatches('issueDate', null, null)).toBe(true);
    expect(valueMatches('issueDate', null, undefined)).toBe(true);
    expect(valueMatches('issueDate', null, '2024-01-01')).toBe(false);
    expect(valueMatches('issueDate', '2024-01-01', null)).toBe(false);
  });
});

describe('transcript rows', () => {
  const row = (title: string, completionDate: string, credits: number): CmeActivity => ({
    title,
    provider: null,
    completionDate,
    credits,
    creditType: 'AMA_PRA_1',
  });
  const truth = [
    row('Stroke Prevention', '2025-01-10', 1),
    row('Sepsis Update', '2025-02-11', 2.25),
    row('Obesity Medicine', '2025-03-12', 0.5),
  ];

  it('matches on date, credits and title, one predicted row per true row', () => {
    const got = [
      row('STROKE PREVENTION', '2025-01-10', 1),
      row('Sepsis Update', '2025-02-11', 2.25),
      row('Obesity Medicine', '2025-03-13', 0.5),
    ];
    expect(matchActivities(truth, got)).toEqual({ matched: 2, truthRows: 3, predictedRows: 3 });
    const dup = [row('Stroke Prevention', '2025-01-10', 1), row('Stroke Prevention', '2025-01-10', 1)];
    expect(
      matchActivities([truth[0] as CmeActivity, truth[0] as CmeActivity, truth[1] as CmeActivity], dup).matched,
    ).toBe(2);
    expect(matchActivities(truth, [row('Stroke Prevention', '2025-01-10', 1.5)]).matched).toBe(0);
  });
});

function entry(
  file: string,
  docType: ManifestEntry['docType'],
  scanned: boolean,
  truth: ManifestEntry['truth'],
): ManifestEntry {
  return { file, docType, scanned, layout: `${docType}-test`, pages: 1, truth };
}

function ok(
  docType: ManifestEntry['docType'],
  fields: Record<string, FieldValue | null>,
  extra: Partial<{ ocr: boolean; pages: number; ms: number }> = {},
): ExtractionOutcome {
  return {
    docType,
    docTypeConfidence: 0.9,
    fields,
    pages: extra.pages ?? 1,
    ocr: extra.ocr ?? false,
    ms: extra.ms ?? 10,
    warnings: [],
  };
}

describe('scoreRun', () => {
  const dea = entry('a.pdf', 'dea_registration', false, {
    registrantName: 'James A. Smith',
    deaNumber: 'AS1234563',
    schedules: ['2', '3'],
    expirationDate: '2026-03-31',
    issueDate: null,
    businessActivity: 'PRACTITIONER',
    state: 'IL',
    npi: null,
  });
  const unknown = entry('b.pdf', 'unknown', true, { npi: null });
  const cme = entry('c.pdf', 'cme_certificate', true, {
    participantName: 'Mei Chen',
    activityTitle: 'Stroke Prevention',
    provider: 'Harvard Medical School',
    completionDate: '2025-01-10',
    credits: 2,
    creditType: 'AMA_PRA_1',
    npi: null,
  });
  const docs: ScoredDoc[] = [
    {
      entry: dea,
      wallMs: 100,
      outcome: ok('dea_registration', {
        registrantName: fv('SMITH, JAMES A'),
        deaNumber: fv('AS1234563'),
        schedules: fv(['3', '2']),
        expirationDate: fv('2026-03-30'),
        issueDate: null,
        businessActivity: fv('PRACTITIONER', 0.55),
        state: fv('IL'),
        npi: null,
      }),
    },
    // Misclassified, and a value the document does not show (a hallucinated DEA number).
    {
      entry: unknown,
      wallMs: 3000,
      outcome: ok('dea_registration', { deaNumber: fv('AB1234563', 0.5), npi: null }, { ocr: true, pages: 2 }),
    },
    { entry: cme, wallMs: 5000, outcome: { error: { code: 'timeout', message: 'took too long' } } },
  ];
  const r = scoreRun(docs);

  it('counts each (document, field) pair once, separately for born-digital and scanned', () => {
    expect(r.fields.bornDigital).toEqual({ right: 7, total: 8, rate: 7 / 8 });
    // unknown: npi right + hallucinated deaNumber wrong; cme (error): 6 non-null fields wrong + npi null right.
    expect(r.fields.scanned).toEqual({ right: 2, total: 9, rate: 2 / 9 });
    expect(r.perField['dea_registration.expirationDate']).toEqual({ right: 0, total: 1, rate: 0 });
    expect(r.perField['unknown.deaNumber']).toEqual({ right: 0, total: 1, rate: 0 });
    expect(r.perType.dea_registration?.bornDigital).toEqual({ right: 7, total: 8, rate: 7 / 8 });
    expect(r.perType.unknown?.scanned).toEqual({ right: 1, total: 2, rate: 0.5 });
  });

  it('reports docType accuracy with errors counted wrong', () => {
    expect(r.docType.right).toBe(1);
    expect(r.docType.total).toBe(3);
    expect(r.docType.confusion.cme_certificate).toEqual({ 'error:timeout': 1 });
    expect(r.errors).toEqual({ timeout: 1 });
  });

  it('computes precision at >= 0.9, its share, and calibration error by hand', () => {
    // Returned values: 5 at 0.95 (4 right: expirationDate wrong), 0.55 right, 0.5 wrong.
    expect(r.confidence.returned).toBe(7);
    expect(r.confidence.highConfidence).toBe(5);
    expect(r.confidence.highPrecision).toBeCloseTo(4 / 5, 10);
    expect(r.confidence.highShare).toBeCloseTo(5 / 7, 10);
    const ece = (5 / 7) * Math.abs(4 / 5 - 0.95) + (2 / 7) * Math.abs(0.5 - 0.525);
    expect(r.confidence.ece).toBeCloseTo(ece, 10);
  });

  it('times documents and OCR pages', () => {
    expect(r.timing.bornDigitalMs.p50).toBe(100);
    expect(r.timing.ocrPageMs).toMatchObject({ n: 1, p50: 1500 });
  });

  it('lists each wrong value with what was expected and returned', () => {
    const wrong = wrongValues(docs);
    expect(wrong.find((w) => w.file === 'a.pdf')).toMatchObject({
      field: 'expirationDate',
      expected: '2026-03-31',
      got: '2026-03-30',
      confidence: 0.95,
    });
    expect(wrong.filter((w) => w.field === 'docType').map((w) => w.file)).toEqual(['b.pdf', 'c.pdf']);
  });

  it('scores transcript rows separately as F1', () => {
    const rows: CmeActivity[] = [
      { title: 'A', provider: null, completionDate: '2025-01-01', credits: 1, creditType: 'AMA_PRA_1' },
      { title: 'B', provider: null, completionDate: '2025-01-02', credits: 2, creditType: 'AMA_PRA_1' },
    ];
    const t = entry('t.pdf', 'cme_transcript', false, {
      participantName: 'Mei Chen',
      activities: rows,
      totalCredits: 3,
      npi: null,
    });
    const s = scoreRun([
      {
        entry: t,
        wallMs: 1,
        outcome: ok('cme_transcript', {
          participantName: fv('Mei Chen'),
          activities: fv([rows[0] as CmeActivity]),
          totalCredits: fv(3),
          npi: null,
        }),
      },
    ]);
    expect(s.activities).toMatchObject({ matched: 1, truthRows: 2, predictedRows: 1, precision: 1, recall: 0.5 });
    expect(s.activities.f1).toBeCloseTo(2 / 3, 10);
    expect(s.fields.all.total).toBe(3);
  });
});

describe('statistics helpers', () => {
  it('uses nearest-rank percentiles', () => {
    expect(percentiles([5, 1, 3, 2, 4])).toEqual({ n: 5, p50: 3, p95: 5, max: 5 });
  });
  it('gives zero calibration error for a perfectly calibrated set and not otherwise', () => {
    expect(
      expectedCalibrationError([
        { confidence: 1, right: true },
        { confidence: 0.5, right: true },
        { confidence: 0.5, right: false },
      ]),
    ).toBe(0);
    expect(expectedCalibrationError([{ confidence: 0.95, right: false }])).toBeCloseTo(0.95, 10);
  });
});
