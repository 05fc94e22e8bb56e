/**
 * Transcript tables read from scans: a date or credit figure misread by OCR is read with what
 * its column shows (a shared edge exposes a rule read as a glyph; a column of quarter hours
 * exposes a misread digit; the printed total settles a figure with an unread glyph), a cell's
 * words come back in reading order when OCR split one printed line in two, and the small
 * misreadings of titles ("(Part Il)", "forthe", "1n") are undone from the document's own words.
 */
import { describe, expect, it } from 'vitest';
import { mendSequenceNumerals, mendShortWords, splitGluedWords } from '../../server/extraction/activity-titles';
import { commonLeftEdge, dateWithoutLeftGlyph, readCellDate } from '../../server/extraction/cell-dates';
import {
  commonRightEdge,
  gridValues,
  quarterGrid,
  settleByTotal,
  wildcardValues,
  withoutRightGlyph,
} from '../../server/extraction/cell-figures';
import { readRowValues, rowCredits } from '../../server/extraction/doc-types/cme-rows';
import { cellsOf } from '../../server/extraction/table-columns';
import { readingOrder, type TableColumn, type TableRow } from '../../server/extraction/table';
import { buildLines } from '../../server/extraction/lines';
import type { Word } from '../../server/extraction/types';

const word = (text: string, x0: number, y0 = 0.3, conf = 0.5, width = 0.0068 * text.length): Word => ({
  text,
  page: 1,
  x0,
  x1: x0 + width,
  y0,
  y1: y0 + 0.01,
  conf,
});

describe('dates in a date column', () => {
  it('undoes edge glyphs, look-alike digits, a letter too many and a split date, marking them repaired', () => {
    const cases: [string, string][] = [
      ['S-May-2023', '2023-05-05'],
      ['S11-Jul-2025', '2025-07-11'],
      ['73-Aug-2025', '2025-08-03'],
      ['8-Mayv-2024', '2024-05-08'],
      ['G2/10/24', '2024-02-10'],
      ['86/19/22', '2022-06-19'],
      ['7/88/24', '2024-07-08'],
      ['08/14/2624', '2024-08-14'],
      ['@3/12/2025', '2025-03-12'],
    ];
    for (const [text, iso] of cases) expect(readCellDate([word(text, 0.5)]), text).toEqual({ iso, repaired: true });
    expect(readCellDate([word('12/31/2023', 0.5)])).toEqual({ iso: '2023-12-31', repaired: false });
    expect(readCellDate([word('02-1', 0.5, 0.3, 0.5, 0.03), word('1-2022', 0.533)])).toEqual({
      iso: '2022-02-11',
      repaired: true,
    });
    expect(readCellDate([word('Category', 0.5)])).toBeNull();
    // Slashes read as ones: only the reading that is a date.
    expect(readCellDate([word('21412023', 0.5)])).toEqual({ iso: '2023-02-04', repaired: true });
    expect(readCellDate([word('11012023', 0.5)])).toBeNull();
  });

  it('drops a glyph read from the cell rule where a date starts left of the column edge', () => {
    const column = ['10-Mar-2023', '23-Jun-2023', '25-Nov-2024', '25-Apr-2025'].map((t) => word(t, 0.517));
    const edge = commonLeftEdge([...column, word('19-Jul-2025', 0.509)]);
    expect(edge).toBeCloseTo(0.517, 3);
    expect(dateWithoutLeftGlyph(word('19-Jul-2025', 0.509), edge!)).toEqual({ iso: '2025-07-09', repaired: true });
    expect(dateWithoutLeftGlyph(word('19-Jul-2025', 0.517), edge!)).toBeNull();
    // Dates of varying widths centred in their column share no edge.
    expect(
      commonLeftEdge(['1/6/2023', '12/22/2022', '7/2/2023', '11/10/2023'].map((t, k) => word(t, 0.5 + k * 0.004))),
    ).toBeNull();
  });
});

describe('credit figures in a credits column', () => {
  it('reads an unread glyph as any digit, and an off-grid figure as the grid values one digit away', () => {
    expect(wildcardValues('§.00')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(wildcardValues('0.7%')).toContain(0.75);
    expect(wildcardValues('AMA')).toEqual([]);
    expect(wildcardValues('2.25')).toEqual([]);
    expect(gridValues('0.58')).toEqual([0.5]);
    expect(gridValues('10.09')).toEqual([10]);
    const clear = [3, 6, 5.25, 0.5, 1.5, 4, 2, 1.25].map((value) => ({ value, conf: 0.95 }));
    expect(quarterGrid([...clear, { value: 10.09, conf: 0.91 }])).toBe(true);
    expect(quarterGrid([1.2, 0.8, 1.5, 2.4, 3.1, 1].map((value) => ({ value, conf: 0.95 })))).toBe(false);
  });

  it('settles open figures by the printed total only when one choice adds up', () => {
    expect(settleByTotal(35.75, [[1, 2, 3, 4, 5, 6, 7, 8, 9]], 43.75)).toEqual([8]);
    expect(
      settleByTotal(
        10,
        [
          [1, 2],
          [1, 2],
        ],
        13,
      ),
    ).toBeNull();
    expect(settleByTotal(10, [[1, 2]], 20)).toBeNull();
  });

  it('drops a rule read after a bare figure that runs past the column edge, never from a whole figure', () => {
    const edge = commonRightEdge(['1.25', '12.00', '1.00', '15.50'].map((t) => word(t, 0.907 - 0.0068 * t.length)));
    expect(edge).toBeCloseTo(0.907, 3);
    expect(withoutRightGlyph(word('1254', 0.89), edge!)?.text).toBe('125');
    expect(withoutRightGlyph(word('2.25', 0.89), edge!)).toBeNull();
  });

  it('reads a third decimal in a two-decimal column as a rule after the figure', () => {
    expect(rowCredits([word('1.000', 0.9)], true)?.value).toBe(1);
    expect(rowCredits([word('1.000', 0.9)], false)).toBeNull();
  });

  it('reads a transcript column: repaired rows counted, the unreadable figure left open', () => {
    // As read from a scan: "0.58" unsure (0.50 printed), "10.09" read at 0.9 (10.00 printed).
    const figures = ['3.00', '6.00', '0.7%', '5.25', '0.50', '1.50', '§.00', '4.00', '0.58', '2.00', '1.25', '10.09'];
    const rows: TableRow[] = figures.map((f, k) => ({
      cells: {
        date: [word('01/18/25', 0.07, 0.1 + k * 0.03, 0.9)],
        credits: [word(f, 0.9, 0.1 + k * 0.03, f === '0.58' ? 0.52 : 0.9, 0.029)],
      },
      lines: [],
      valid: true,
    }));
    const v = readRowValues(rows, true, true);
    expect(v.credits.map((c) => c?.value ?? null)).toEqual([3, 6, 0.75, 5.25, 0.5, 1.5, null, 4, 0.5, 2, 1.25, 10]);
    expect(v.open[6]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(v.repaired).toBe(4);
  });
});

describe('cells of OCR lines', () => {
  it('puts the words of one printed line that OCR split in two back in reading order', () => {
    const cell = [
      word('Pain', 0.17, 0.28, 0.9, 0.025),
      word('and', 0.29, 0.28, 0.9, 0.02),
      word('Management', 0.2, 0.2815, 0.9, 0.06),
      word('Misuse', 0.17, 0.295, 0.9, 0.04),
    ];
    // Sorted by x within a printed line: "Pain" starts left of "Management".
    expect(readingOrder(cell).map((w) => w.text)).toEqual(['Pain', 'Management', 'and', 'Misuse']);
  });

  it('keeps an unsure short word inside a cell and a numeral closing its bracket, drops specks at its edges', () => {
    const columns: TableColumn[] = [{ key: 'title', header: 'Title', x0: 0.05, x1: 0.1 }];
    const [line] = buildLines([
      word('oo', 0.03, 0.3, 0.3, 0.01),
      word('Hepatitis', 0.05, 0.3, 0.9, 0.045),
      word('C', 0.098, 0.3, 0.34, 0.006),
      word('Elimination', 0.108, 0.3, 0.9, 0.05),
      word('(Part', 0.162, 0.3, 0.9, 0.025),
      word('H)', 0.19, 0.3, 0.3, 0.01),
    ]);
    const [alone] = buildLines([word('(Part', 0.05, 0.35, 0.52, 0.022), word('tl)', 0.076, 0.35, 0.31, 0.008)]);
    expect(cellsOf(alone!, columns, []).title!.map((w) => w.text)).toEqual(['(Part', 'tl)']);
    expect(cellsOf(line!, columns, []).title!.map((w) => w.text)).toEqual([
      'Hepatitis',
      'C',
      'Elimination',
      '(Part',
      'H)',
    ]);
  });
});

describe('titles read from scans', () => {
  it('reads part numerals OCR misread, keeping a printed "Part 1"', () => {
    expect(mendSequenceNumerals('Thyroid Nodule Evaluation (Part Il)')).toBe('Thyroid Nodule Evaluation (Part II)');
    expect(mendSequenceNumerals('Team-Based Care {Part H)')).toBe('Team-Based Care {Part II)');
    expect(mendSequenceNumerals('Should Know (Part 11)')).toBe('Should Know (Part II)');
    expect(mendSequenceNumerals('Should Know (Part 1)')).toBe('Should Know (Part 1)');
    expect(mendSequenceNumerals('Module III')).toBe('Module III');
  });

  it('splits two glued short words and mends a digit for a letter, from words the document prints clearly', () => {
    const clear = new Set(['for', 'the', 'in', 'into', 'busy']);
    expect(splitGluedWords('Pearls forthe Busy Clinician', clear)).toBe('Pearls for the Busy Clinician');
    expect(splitGluedWords('Stewardship inthe Outpatient', clear)).toBe('Stewardship in the Outpatient');
    expect(splitGluedWords('Guidelines into Practice', clear)).toBe('Guidelines into Practice');
    expect(splitGluedWords('the Outpatient Setting', clear)).toBe('the Outpatient Setting');
    expect(mendShortWords('Diabetes 1n Primary Care', clear)).toBe('Diabetes in Primary Care');
    expect(mendShortWords('Type 2 Diabetes', clear)).toBe('Type 2 Diabetes');
  });
});
