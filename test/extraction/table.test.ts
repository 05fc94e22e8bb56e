/**
 * Tables from word positions: columns from the header wording and the cells' alignment,
 * wrapped cells kept in their column and row, a header repeated on the next page continuing
 * the table, totals apart from rows, ID columns and decorations dropped. Words are placed
 * directly (page fractions), or drawn into small PDFs for the whole transcript path.
 */
import { describe, expect, it } from 'vitest';
import type { CmeActivity } from '../../common/extraction';
import { cleanTitle } from '../../server/extraction/activity-titles';
import { creditTypeOfCell, extractCmeTranscript } from '../../server/extraction/doc-types/cme-transcript';
import { docContext } from '../../server/extraction/doc-types/shared-fields';
import { buildLines } from '../../server/extraction/lines';
import { openPdf } from '../../server/extraction/load';
import { cellText, isSpeckWord, readTable, type Cells, type TableSpec } from '../../server/extraction/table';
import { readTextLayer } from '../../server/extraction/text-layer';
import type { Word } from '../../server/extraction/types';
import { makePdf, type Placed } from './make-pdf';

/** A generic spec: the vocabulary is the caller's data, not the module's. */
const SPEC: TableSpec = {
  columns: [
    { key: 'when', headers: ['date', 'completed', 'date completed'] },
    { key: 'what', headers: ['title', 'activity'] },
    { key: 'who', headers: ['provider'] },
    { key: 'amount', headers: ['credits', 'hours', 'credits claimed'] },
    { key: null, headers: ['activity id', 'format'] },
  ],
  required: ['when', 'what', 'amount'],
  lineKind: (cells: Cells) => {
    const date = (cells.when ?? []).some((w) => /^\d\d\/\d\d\/\d{4}$/.test(w.text));
    const figure = (cells.amount ?? []).some((w) => /^\d+(\.\d+)?$/.test(w.text));
    return date && figure ? 'row' : null;
  },
};

const CHAR = 0.0055;
const HEIGHT = 0.011;

/** Words of `text` from x (left edge, or right edge when `right`), on one line at y. */
function place(
  text: string,
  x: number,
  y: number,
  opts: { page?: number; right?: boolean; conf?: number; jitter?: number } = {},
): Word[] {
  const width = text.length * CHAR;
  let cursor = opts.right ? x - width : x;
  let k = 0;
  return text.split(' ').map((t) => {
    // A deterministic wobble of OCR boxes.
    const j = opts.jitter ? opts.jitter * Math.sin(++k * 2.3 + x * 40 + y * 70) : 0;
    const w: Word = {
      text: t,
      page: opts.page ?? 1,
      x0: cursor + j,
      y0: y + j / 2,
      x1: cursor + t.length * CHAR + j,
      y1: y + HEIGHT + j / 2,
      conf: opts.conf ?? 1,
    };
    cursor += (t.length + 1) * CHAR;
    return w;
  });
}

const rowsOf = (words: Word[], spec = SPEC) => {
  const table = readTable(buildLines(words), spec);
  if (!table) throw new Error('no table');
  return {
    table,
    rows: table.rows
      .filter((r) => r.valid)
      .map((r) => Object.fromEntries(Object.entries(r.cells).map(([k, v]) => [k, cellText(v)]))),
  };
};

describe('readTable', () => {
  it('keeps a wrapped cell in its column: a provider on two lines does not join the title', () => {
    const words = [
      ...place('Date', 0.05, 0.2),
      ...place('Activity', 0.18, 0.2),
      ...place('Provider', 0.5, 0.2),
      ...place('Credits', 0.95, 0.2, { right: true }),
      ...place('03/04/2025', 0.05, 0.23),
      ...place('Stroke Prevention', 0.18, 0.23),
      ...place('Riverbend Health System Office of', 0.5, 0.23),
      ...place('1.50', 0.95, 0.23, { right: true }),
      ...place('Continuing Medical Education', 0.5, 0.245),
      ...place('04/01/2025', 0.05, 0.27),
      ...place('Heart Failure with Preserved Ejection', 0.18, 0.27),
      ...place('Summit Group', 0.5, 0.27),
      ...place('2.00', 0.95, 0.27, { right: true }),
      ...place('Fraction: Practical Pearls', 0.18, 0.285),
    ];
    expect(rowsOf(words).rows).toEqual([
      {
        when: '03/04/2025',
        what: 'Stroke Prevention',
        who: 'Riverbend Health System Office of Continuing Medical Education',
        amount: '1.50',
      },
      {
        when: '04/01/2025',
        what: 'Heart Failure with Preserved Ejection Fraction: Practical Pearls',
        who: 'Summit Group',
        amount: '2.00',
      },
    ]);
  });

  it("cuts a cell that runs up to the next column at that column's left edge", () => {
    // The provider overflows its cell with no gutter before the title column.
    const words = [
      ...place('Date', 0.05, 0.2),
      ...place('Provider', 0.18, 0.2),
      ...place('Title', 0.4, 0.2),
      ...place('Credits', 0.95, 0.2, { right: true }),
      ...place('03/04/2025', 0.05, 0.23),
      ...place('Great Lakes Medical Education Institute', 0.18, 0.23),
      ...place('Lipid Management', 0.4, 0.23),
      ...place('1.00', 0.95, 0.23, { right: true }),
      ...place('03/05/2025', 0.05, 0.26),
      ...place('Summit Group', 0.18, 0.26),
      ...place('Sepsis Update', 0.4, 0.26),
      ...place('2.00', 0.95, 0.26, { right: true }),
      ...place('03/06/2025', 0.05, 0.29),
      ...place('Tri-County Society', 0.18, 0.29),
      ...place('Asthma Control', 0.4, 0.29),
      ...place('3.00', 0.95, 0.29, { right: true }),
    ];
    const { rows } = rowsOf(words);
    expect(rows[0]).toMatchObject({ who: 'Great Lakes Medical Education Institute', what: 'Lipid Management' });
  });

  it('joins a wrapped line printed above a middle-aligned row to that row, not the one before', () => {
    const words = [
      ...place('Date', 0.05, 0.2),
      ...place('Title', 0.18, 0.2),
      ...place('Credits', 0.95, 0.2, { right: true }),
      ...place('Grand Rounds: Sepsis', 0.18, 0.24),
      ...place('03/04/2025', 0.05, 0.2475),
      ...place('1.00', 0.95, 0.2475, { right: true }),
      ...place('Recognition', 0.18, 0.255),
      ...place('Lipid Management in', 0.18, 0.285),
      ...place('03/05/2025', 0.05, 0.2925),
      ...place('2.00', 0.95, 0.2925, { right: true }),
      ...place('Primary Care', 0.18, 0.3),
    ];
    expect(rowsOf(words).rows.map((r) => r.what)).toEqual([
      'Grand Rounds: Sepsis Recognition',
      'Lipid Management in Primary Care',
    ]);
  });

  it('continues the table under a header repeated on page 2, finishing the row the page break split', () => {
    const header = (y: number, page: number) => [
      ...place('Date', 0.05, y, { page }),
      ...place('Activity', 0.18, y, { page }),
      ...place('Credits', 0.95, y, { page, right: true }),
    ];
    const words = [
      ...place('Learner Transcript', 0.05, 0.05),
      ...header(0.2, 1),
      ...place('03/04/2025', 0.05, 0.23),
      ...place('Stroke Prevention', 0.18, 0.23),
      ...place('1.50', 0.95, 0.23, { right: true }),
      ...place('04/01/2025', 0.05, 0.9),
      ...place('Management of Type 2 Diabetes in', 0.18, 0.9),
      ...place('2.00', 0.95, 0.9, { right: true }),
      ...place('Page 1 of 2', 0.45, 0.96),
      ...place('Learner Transcript (continued)', 0.05, 0.05, { page: 2 }),
      ...header(0.08, 2),
      ...place('Primary Care: 2025 Update', 0.18, 0.11, { page: 2 }),
      ...place('05/02/2025', 0.05, 0.14, { page: 2 }),
      ...place('Lipid Management', 0.18, 0.14, { page: 2 }),
      ...place('0.25', 0.95, 0.14, { page: 2, right: true }),
    ];
    expect(rowsOf(words).rows.map((r) => [r.when, r.what, r.amount])).toEqual([
      ['03/04/2025', 'Stroke Prevention', '1.50'],
      ['04/01/2025', 'Management of Type 2 Diabetes in Primary Care: 2025 Update', '2.00'],
      ['05/02/2025', 'Lipid Management', '0.25'],
    ]);
  });

  it('takes a total line for a total, not a row, with the column of each figure', () => {
    const words = [
      ...place('Date', 0.05, 0.2),
      ...place('Activity', 0.18, 0.2),
      ...place('Credits', 0.8, 0.2, { right: true }),
      ...place('Hours', 0.95, 0.2, { right: true }),
      ...place('03/04/2025', 0.05, 0.23),
      ...place('Stroke Prevention', 0.18, 0.23),
      ...place('1.50', 0.8, 0.23, { right: true }),
      ...place('0.50', 0.95, 0.23, { right: true }),
      ...place('04/01/2025', 0.05, 0.26),
      ...place('Lipid Management', 0.18, 0.26),
      ...place('2.00', 0.8, 0.26, { right: true }),
      ...place('1.00', 0.95, 0.26, { right: true }),
      ...place('Total', 0.18, 0.3),
      ...place('3.50', 0.8, 0.3, { right: true }),
      ...place('1.50', 0.95, 0.3, { right: true }),
    ];
    const spec: TableSpec = {
      ...SPEC,
      columns: [
        ...SPEC.columns.filter((c) => c.key !== 'amount'),
        { key: 'amount', headers: ['credits'] },
        { key: 'other', headers: ['hours'] },
      ],
    };
    const { table, rows } = rowsOf(words, spec);
    expect(rows).toHaveLength(2);
    expect(table.totals.flatMap((t) => t.values.map((v) => [v.value, v.key]))).toEqual([
      [3.5, 'amount'],
      [1.5, 'other'],
    ]);
  });

  it('drops an ID column and a format column, and splits headings that share a run of words', () => {
    const words = [
      ...place('Activity ID', 0.05, 0.2),
      ...place('Title', 0.16, 0.2),
      ...place('Format', 0.6, 0.2),
      ...place('Date Completed Credits Claimed', 0.72, 0.2),
      ...place('22M2280', 0.05, 0.23),
      ...place('Challenges in Stroke Prevention', 0.16, 0.23),
      ...place('Internet Live', 0.6, 0.23),
      ...place('10/07/2022', 0.72, 0.23),
      ...place('2', 0.94, 0.23),
      ...place('23K1686', 0.05, 0.26),
      ...place('Sepsis Update', 0.16, 0.26),
      ...place('Podcast', 0.6, 0.26),
      ...place('03/05/2023', 0.72, 0.26),
      ...place('6', 0.94, 0.26),
    ];
    const { table, rows } = rowsOf(words);
    expect(table.columns.map((c) => c.key)).toEqual([null, 'what', null, 'when', 'amount']);
    expect(rows).toEqual([
      { what: 'Challenges in Stroke Prevention', when: '10/07/2022', amount: '2' },
      { what: 'Sepsis Update', when: '03/05/2023', amount: '6' },
    ]);
  });

  it('reads a two-line heading ("Date" over "Completed") and OCR words with unsure, wobbling boxes', () => {
    const o = { conf: 0.86, jitter: 0.002 };
    const words = [
      ...place('Title', 0.05, 0.2, o),
      ...place('Date', 0.55, 0.2, o),
      ...place('Credits', 0.95, 0.2, { ...o, right: true }),
      ...place('Completed', 0.55, 0.213, o),
      ...place('Dermatologic Emergencies: New Evidence,', 0.05, 0.24, o),
      ...place('10/21/2022', 0.55, 0.24, o),
      ...place('1.25', 0.95, 0.24, { ...o, right: true }),
      ...place('New Options', 0.05, 0.254, o),
      ...place('Thyroid Nodule Evaluation', 0.05, 0.28, o),
      ...place('11/17/2022', 0.55, 0.28, o),
      ...place('1.00', 0.95, 0.28, { ...o, right: true }),
    ];
    expect(rowsOf(words).rows.map((r) => [r.what, r.when, r.amount])).toEqual([
      ['Dermatologic Emergencies: New Evidence, New Options', '10/21/2022', '1.25'],
      ['Thyroid Nodule Evaluation', '11/17/2022', '1.00'],
    ]);
  });

  it('takes unsure OCR scraps for noise, but not a month or a figure read unsurely', () => {
    const ocr = (text: string, conf: number): Word => ({ text, page: 1, x0: 0.1, y0: 0.1, x1: 0.12, y1: 0.11, conf });
    expect(isSpeckWord(ocr('oo', 0.25))).toBe(true);
    expect(isSpeckWord(ocr('Toa', 0.3))).toBe(true);
    expect(isSpeckWord(ocr('May', 0.29))).toBe(false);
    expect(isSpeckWord(ocr('600', 0.3))).toBe(false);
    expect(isSpeckWord(ocr('of', 1))).toBe(false);
  });

  it('finds no table without a header naming the required columns', () => {
    expect(
      readTable(
        buildLines([
          ...place('Date range: 01/01/2021 - 03/20/2024', 0.05, 0.2),
          ...place('Credits shown are self-reported', 0.05, 0.23),
        ]),
        SPEC,
      ),
    ).toBeNull();
  });
});

describe('transcript cells', () => {
  it('strips activity IDs printed before or after a title, and keeps numbers that are part of it', () => {
    expect(cleanTitle('Lipid Management (Activity ID: 48211)')).toBe('Lipid Management');
    expect(cleanTitle('Sepsis Update [ACT-2024-1187]')).toBe('Sepsis Update');
    expect(cleanTitle('22M2280 Challenges in Stroke Prevention')).toBe('Challenges in Stroke Prevention');
    expect(cleanTitle('Hepatitis C Elimination – ID 23F0039')).toBe('Hepatitis C Elimination');
    expect(cleanTitle('Migraine Prevention: 2025 Update (Part II)')).toBe('Migraine Prevention: 2025 Update (Part II)');
    expect(cleanTitle('COVID-19 Vaccines (Module 2)')).toBe('COVID-19 Vaccines (Module 2)');
  });

  it('reads credit types from a type cell', () => {
    expect(creditTypeOfCell('AMA PRA Category 1 Credit™')).toBe('AMA_PRA_1');
    expect(creditTypeOfCell('AMA PRA Category 2 Credit™')).toBe('AMA_PRA_2');
    expect(creditTypeOfCell('AMA Cat. 1')).toBe('AMA_PRA_1');
    expect(creditTypeOfCell('AMA PRA Cat 2')).toBe('AMA_PRA_2');
    expect(creditTypeOfCell('Category 1-A')).toBe('AOA_1A');
    expect(creditTypeOfCell('AOA 2-B')).toBe('AOA_2B');
    expect(creditTypeOfCell('ADA Z-A')).toBe('AOA_2A');
    expect(creditTypeOfCell('AAFP Prescribed')).toBe('AAFP');
    expect(creditTypeOfCell('Prescribed (AAFP)')).toBe('AAFP');
    expect(creditTypeOfCell('Participation')).toBe('OTHER');
    expect(creditTypeOfCell('')).toBeNull();
  });
});

/** The transcript rules over a PDF's text layer (classification is not what these tests are about). */
async function transcriptOf(pdf: Uint8Array) {
  const doc = await openPdf(pdf);
  const words: Word[] = [];
  for (let n = 1; n <= doc.numPages; n++) words.push(...(await readTextLayer(await doc.getPage(n), n)));
  await doc.destroy();
  return extractCmeTranscript(docContext(buildLines(words)));
}

describe('cme_transcript from a PDF', () => {
  it("reads wrapped providers, two totals (the credits column's), a document-wide credit type and the learner above the table", async () => {
    const header = (y: number): Placed[] => [
      { text: 'Course Name', x: 30, y, bold: true, size: 8 },
      { text: 'Provider', x: 250, y, bold: true, size: 8 },
      { text: 'Completion Date', x: 400, y, bold: true, size: 8 },
      { text: 'Contact Hours', x: 480, y, bold: true, size: 8 },
      { text: 'Pharm.', x: 550, y, bold: true, size: 8 },
      { text: 'Hours', x: 552, y: y + 9, bold: true, size: 8 },
    ];
    const row = (y: number, cells: [string, string, string, string, string]): Placed[] =>
      cells.map((text, i) => ({ text, x: [30, 250, 400, 500, 560][i]!, y, size: 8 }));
    const pdf = await makePdf(
      [
        [
          { text: 'CE Tracker', x: 30, y: 30, size: 14 },
          { text: 'Course History Report', x: 450, y: 30, size: 10 },
          { text: 'Ahmed R. Patel, DNP, APRN', x: 30, y: 70, size: 12 },
          { text: 'All courses listed are approved for ANCC contact hours unless noted.', x: 30, y: 90, size: 8 },
          ...header(120),
          ...row(150, [
            'Depression Screening in Adolescents',
            'Bayview Hospital Department of',
            '2022-05-27',
            '4.00',
            '0.00',
          ]),
          { text: 'Medical Education', x: 250, y: 160, size: 8 },
          ...row(180, [
            'Safe Opioid Prescribing and Risk Mitigation',
            'Clinical Nursing Services',
            '2022-07-16',
            '6.00',
            '1.50',
          ]),
          { text: 'Total Contact Hours: 10.00', x: 420, y: 210, size: 9 },
          { text: 'Total Pharmacology Hours: 1.50', x: 420, y: 224, size: 9 },
        ],
      ],
      [792, 612],
    );
    const f = await transcriptOf(pdf);
    const rows = f.activities?.value as CmeActivity[];
    expect(rows.map((r) => [r.title, r.provider, r.completionDate, r.credits, r.creditType])).toEqual([
      [
        'Depression Screening in Adolescents',
        'Bayview Hospital Department of Medical Education',
        '2022-05-27',
        4,
        'ANCC',
      ],
      ['Safe Opioid Prescribing and Risk Mitigation', 'Clinical Nursing Services', '2022-07-16', 6, 'ANCC'],
    ]);
    expect(f.totalCredits?.value).toBe(10);
    expect(f.participantName?.value).toBe('Ahmed R. Patel');
  });
});
