/**
 * The date and the credit figure of each transcript row, read with what the whole column shows
 * (see ../cell-dates.ts and ../cell-figures.ts): a shared left or right edge exposes a rule
 * read as a glyph, and a column of quarter hours exposes a misread digit. Readings that needed
 * such a repair are counted so the rows' confidence says so; figures that stay open (several
 * possible values) are returned with their values for the printed total to settle.
 */
import { commonLeftEdge, dateWithoutLeftGlyph, readCellDate, type CellDate } from '../cell-dates';
import { commonRightEdge, gridValues, quarterGrid, wildcardValues, withoutRightGlyph } from '../cell-figures';
import { parseCredits } from '../parsers';
import type { TableRow } from '../table';
import type { Word } from '../types';

// A figure whose decimal point OCR lost ("725") still makes the line a row (rowCredits).
export const BARE_FIGURE = /^\d{3,4}[.,;:]?$/;
/** A rule read after a bare figure ("200]"). */
const bareText = (t: string) => t.replace(/[\])|]+$/, '');

/**
 * A row's credit figure. OCR loses the decimal point of small figures ("725" for 7.25, "025"
 * for 0.25): in a column that prints two decimals, a bare figure of three or four digits is
 * read with its point restored, and its word marked unsure so the row and any sum say so.
 */
export function rowCredits(words: Word[], twoDecimals: boolean): { value: number; word: Word } | null {
  // OCR reads the point as a colon ("2:00"), and a rule or speck before a figure as a letter ("C250").
  const read = words.map((w) => {
    if (w.conf >= 0.999) return w;
    let text = w.text.replace(/^(\d+):(\d\d)$/, '$1.$2');
    // A column of two decimals prints no third one: a rule after the figure was read as a digit ("1.000").
    if (twoDecimals)
      text = bareText(text)
        .replace(/^[A-Za-z©(](\d{3,4})$/, '$1')
        .replace(/^(\d{1,3}\.\d\d)\d$/, '$1');
    return text === w.text ? w : { ...w, text, conf: Math.min(w.conf, 0.5) };
  });
  const p = parseCredits(read);
  const bare = read.slice(0, 3).find((w) => BARE_FIGURE.test(w.text));
  if (twoDecimals && bare && (!p || p.words[0] === bare)) {
    return { value: Number(bare.text.replace(/[.,;:]$/, '')) / 100, word: { ...bare, conf: Math.min(bare.conf, 0.5) } };
  }
  return p ? { value: p.value as number, word: p.words[0]! } : null;
}

export interface RowValues {
  dates: (CellDate | null)[];
  credits: ({ value: number; word: Word } | null)[];
  /** For a row whose figure stays open: the values it may be. */
  open: (number[] | null)[];
  /** Rows whose date or figure needed a repair. */
  repaired: number;
}

const figureWord = (ws: Word[]) => ws.find((w) => /\d/.test(w.text));

/** Dates and figures of the rows, each column read as a whole. */
export function readRowValues(rows: TableRow[], twoDecimals: boolean, ocr: boolean): RowValues {
  const dateCells = rows.map((r) => r.cells.date ?? []);
  const leftEdge = ocr ? commonLeftEdge(dateCells.map((ws) => ws[0]).filter((w): w is Word => !!w)) : null;
  const repairedRows = new Set<number>();
  const dates = dateCells.map((ws, i) => {
    const first = ws[0];
    const shifted = first && leftEdge !== null ? dateWithoutLeftGlyph(first, leftEdge) : null;
    const d = shifted ?? readCellDate(ws);
    if (d?.repaired) repairedRows.add(i);
    return d;
  });

  const creditCells = rows.map((r) => r.cells.credits ?? []);
  const rightEdge = ocr
    ? commonRightEdge(creditCells.map(figureWord).filter((w): w is Word => !!w && w.conf >= 0.8))
    : null;
  const credits = creditCells.map((ws, i) => {
    const w = figureWord(ws);
    const trimmed = w && rightEdge !== null ? withoutRightGlyph(w, rightEdge) : null;
    if (trimmed) repairedRows.add(i);
    return rowCredits(
      ws.map((x) => (x === w && trimmed ? trimmed : x)),
      twoDecimals,
    );
  });
  const open: (number[] | null)[] = credits.map(() => null);
  if (ocr) {
    const grid = quarterGrid(credits.filter((c) => c !== null).map((c) => ({ value: c.value, conf: c.word.conf })));
    credits.forEach((c, i) => {
      let values: number[] | null = null;
      if (!c) {
        const w = creditCells[i]!.find((x) => wildcardValues(x.text).length);
        if (w) values = wildcardValues(w.text).filter((v) => !grid || Math.abs(v * 4 - Math.round(v * 4)) < 1e-6);
      } else if (grid && Math.abs(c.value * 4 - Math.round(c.value * 4)) > 1e-6) values = gridValues(c.word.text);
      if (!values) return;
      repairedRows.add(i);
      if (values.length === 1)
        credits[i] = { value: values[0]!, word: { ...(c?.word ?? creditCells[i]![0]!), conf: 0.4 } };
      else {
        credits[i] = null;
        if (values.length) open[i] = values;
      }
    });
  }
  return { dates, credits, open, repaired: repairedRows.size };
}
