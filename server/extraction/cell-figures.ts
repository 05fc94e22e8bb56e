/**
 * Credit figures in a table's credits column, read from a scan. What the column as a whole
 * shows decides what one cell may have been:
 * - a glyph OCR could not read inside a figure ("§.00", "0.7%") stands for a digit: the figure
 *   is one of several values;
 * - a column whose clearly read figures are all quarter hours (0.25, 1.5, 10.00) prints no
 *   figure off that grid: one that reads off it ("0.58", "10.09") had a digit misread, and is
 *   one of the values a single digit's change puts on the grid;
 * - of several possible values, the one that makes the rows add up to the printed total.
 * Each such figure is marked repaired so the rows and their sum are less sure.
 */
import type { Word } from './types';

const EXACT = /^\d{1,3}(\.\d{1,2})?$/;
const strip = (t: string) =>
  t.replace(/^[([{"'“”‘’.,:;#|]+|[)\]}"'“”‘’.,:;|]+$/g, '').replace(/^(\d+)[:,](\d\d)$/, '$1.$2');

/** A figure's text with each glyph that is not a digit (inside the figure) as a wildcard, or null when it is not figure-shaped. */
function pattern(text: string): string | null {
  const t = strip(text);
  if (!/^[^\s.]{1,3}(\.[^\s.]{1,2})?$/.test(t)) return null;
  const digits = (t.match(/\d/g) ?? []).length;
  const others = t.replace(/[\d.]/g, '').length;
  // Mostly digits, and at most one glyph unread: "§.00", "0.7%"; never a word ("AMA").
  if (others > 1 || digits < 2 || !/[.]/.test(t)) return null;
  return t.replace(/[^\d.]/g, '?');
}

/** Every value a figure with unread glyphs may be. */
export function wildcardValues(text: string): number[] {
  const p = pattern(text);
  if (!p || !p.includes('?')) return [];
  const out: number[] = [];
  for (let d = 0; d <= 9; d++) {
    const v = Number(p.replace('?', String(d)));
    if (v > 0 && v <= 500) out.push(v);
  }
  return out;
}

/** A figure-shaped word with one glyph unread ("§.00"): the line still reads as a row. */
export const isUnreadFigure = (text: string): boolean => wildcardValues(text).length > 0;

const onGrid = (v: number) => Math.abs(v * 4 - Math.round(v * 4)) < 1e-6;

/**
 * The column prints quarter hours: at least five clearly read figures, and all but one in ten
 * of them on the grid (the others are the misread ones).
 */
export function quarterGrid(values: { value: number; conf: number }[]): boolean {
  const clear = values.filter((v) => v.conf >= 0.8);
  const on = clear.filter((v) => onGrid(v.value)).length;
  return on >= 5 && clear.length - on <= Math.max(1, Math.floor(clear.length * 0.1));
}

/** The values on the quarter grid that one digit's change makes of an off-grid figure. */
export function gridValues(text: string): number[] {
  const t = strip(text);
  if (!EXACT.test(t)) return [];
  const out = new Set<number>();
  for (let k = 0; k < t.length; k++) {
    if (t[k] === '.') continue;
    for (let d = 0; d <= 9; d++) {
      const v = Number(t.slice(0, k) + d + t.slice(k + 1));
      if (v > 0 && onGrid(v)) out.add(v);
    }
  }
  return [...out];
}

/**
 * A right-aligned column: most figures end at one edge. A figure that runs past it by about a
 * character has a rule or speck read as its last glyph ("1254" for 1.25|): the figure without it.
 */
export function commonRightEdge(words: Word[]): number | null {
  if (words.length < 4) return null;
  const xs = words.map((w) => w.x1).sort((a, b) => a - b);
  const mid = xs[Math.floor(xs.length / 2)]!;
  return xs.filter((x) => Math.abs(x - mid) <= 0.002).length >= words.length * 0.6 ? mid : null;
}

export function withoutRightGlyph(word: Word, rightEdge: number): Word | null {
  const charWidth = (word.x1 - word.x0) / Math.max(1, word.text.length);
  // A figure with its point and decimals in place is whole, whatever its box.
  if (word.x1 - rightEdge < charWidth * 0.6 || word.text.length < 3 || /^\d{1,3}[.,:]\d{1,2}$/.test(word.text))
    return null;
  return { ...word, text: word.text.slice(0, -1), x1: word.x1 - charWidth, conf: Math.min(word.conf, 0.5) };
}

/**
 * Figures still open (several possible values) settled by the printed total: the one choice
 * of values that makes every row add up to it. Returns the chosen values, or null when no
 * choice or more than one does.
 */
export function settleByTotal(known: number, open: number[][], total: number): number[] | null {
  let combos: { sum: number; pick: number[] }[] = [{ sum: known, pick: [] }];
  for (const vals of open) {
    combos = combos.flatMap((c) => vals.map((v) => ({ sum: c.sum + v, pick: [...c.pick, v] })));
    if (combos.length > 5000) return null;
  }
  const hits = combos.filter((c) => Math.abs(c.sum - total) < 0.001);
  return hits.length === 1 ? hits[0]!.pick : null;
}
