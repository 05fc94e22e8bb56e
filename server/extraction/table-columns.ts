/**
 * Column boundaries, cells and totals: where one column ends and the next begins (the widest
 * gutter the rows leave between two headings), each line cut into cells at those boundaries,
 * and "Total" lines with the column each figure stands in.
 */
import { isSpeckWord } from './table-header';
import type { Cells, TableColumn, TotalLine, TotalValue } from './table-types';
import type { Line, Word } from './types';

/**
 * Where column A ends and B begins: the widest strip between them that the fewest row words
 * cross (a gutter crosses none). The search runs from A's heading end (or B's start, if that
 * is left of it) to just past B's heading start.
 */
export function boundary(a: TableColumn, b: TableColumn, words: Word[], rowLines: number): number {
  // A column whose cells start where its heading starts (left-aligned) begins there, even where
  // a long cell of the column before runs up to it without a gutter.
  const starts = words.filter((w) => Math.abs(w.x0 - b.x0) <= 0.006);
  if (rowLines > 0 && new Set(starts.map((w) => w.y0)).size >= Math.max(2, rowLines * 0.5)) {
    return Math.min(...starts.map((w) => w.x0)) - 0.003;
  }
  const lo = Math.min(a.x1, b.x0) - 0.01;
  const hi = Math.max(b.x0 + 0.01, lo + 0.002);
  const within = words.filter((w) => w.x1 > lo && w.x0 < hi);
  const eps = 0.0008;
  const edges = [
    ...new Set([lo, hi, ...within.flatMap((w) => [w.x0 + eps, w.x1 - eps]).filter((x) => x > lo && x < hi)]),
  ].sort((p, q) => p - q);
  let best: { p: number; q: number; count: number } | null = null;
  let run: { p: number; q: number; count: number } | null = null;
  const consider = (r: { p: number; q: number; count: number }) => {
    const centre = (Math.min(a.x1, b.x0) + b.x0) / 2;
    if (
      !best ||
      r.count < best.count ||
      (r.count === best.count &&
        (r.q - r.p > best.q - best.p + 1e-4 ||
          (Math.abs(r.q - r.p - (best.q - best.p)) <= 1e-4 &&
            Math.abs((r.p + r.q) / 2 - centre) < Math.abs((best.p + best.q) / 2 - centre))))
    )
      best = r;
  };
  for (let k = 0; k + 1 < edges.length; k++) {
    const p = edges[k]!;
    const q = edges[k + 1]!;
    const mid = (p + q) / 2;
    const count = within.filter((w) => w.x0 + eps < mid && w.x1 - eps > mid).length;
    if (run && run.count === count && Math.abs(run.q - p) < 1e-9) run.q = q;
    else {
      if (run) consider(run);
      run = { p, q, count };
    }
  }
  if (run) consider(run);
  const chosen = best as { p: number; q: number } | null;
  return chosen ? (chosen.p + chosen.q) / 2 : (a.x1 + b.x0) / 2;
}

export function cellsOf(line: Line, columns: TableColumn[], bounds: number[]): Cells {
  const cells: Cells = {};
  const specks: Cells = {};
  for (const c of columns) if (c.key !== null) [cells[c.key], specks[c.key]] = [[], []];
  for (const w of line.words) {
    const centre = (w.x0 + w.x1) / 2;
    let k = 0;
    while (k < bounds.length && centre >= bounds[k]!) k++;
    const key = columns[k]!.key;
    if (key !== null) (isSpeckWord(w) && w.conf < 0.999 ? specks : cells)[key]!.push(w);
  }
  // An unsure short figure ("20" read at 0.5) looks like a speck; alone in its cell it is the cell's value.
  for (const [key, ws] of Object.entries(specks)) {
    const figures = ws.filter((w) => /^\d{1,2}[.,]?$/.test(w.text));
    if (!cells[key]!.length && figures.length === 1) cells[key]!.push(figures[0]!);
    else cells[key] = withInnerWords(cells[key]!, ws, line);
  }
  return cells;
}

/**
 * An unsure one- or two-letter word set between two words of the cell at word spacing ("Hepatitis
 * C Elimination", "Approach: A Case") is a word, not a speck: specks sit at a cell's edges and
 * in the gaps between columns. So is a short word that closes a bracket the cell opened.
 */
function withInnerWords(cell: Word[], specks: Word[], line: Line): Word[] {
  if (!specks.length || !cell.length) return cell;
  const h = line.y1 - line.y0;
  const sorted = [...cell].sort((a, b) => a.x0 - b.x0);
  const text = sorted.map((w) => w.text).join(' ');
  const unclosed = (text.match(/[({]/g) ?? []).length > (text.match(/[)}]/g) ?? []).length;
  const inner = specks.filter((w) => {
    const prev = sorted.filter((c) => c.x1 <= w.x0 + 0.001).pop();
    const next = sorted.find((c) => c.x0 >= w.x1 - 0.001);
    if (!prev || w.x0 - prev.x1 >= 0.6 * h) return false;
    // The numeral closing a bracket the cell opened ("(Part" + "H)"), at the cell's end.
    if (!next) return unclosed && /^[A-Za-z0-9|]{1,3}[)}]$/.test(w.text);
    return /^[A-Za-z0-9]{1,2}$/.test(w.text) && next.x0 - w.x1 < 0.6 * h;
  });
  return inner.length ? [...cell, ...inner].sort((a, b) => a.x0 - b.x0) : cell;
}

function columnAt(x: number, columns: TableColumn[], bounds: number[]): string | null {
  if (x < columns[0]!.x0 - 0.05 || x > columns[columns.length - 1]!.x1 + 0.05) return null;
  let k = 0;
  while (k < bounds.length && x >= bounds[k]!) k++;
  return columns[k]!.key;
}

const TOTAL_LABEL = /^(grand\s+)?totals?\b/i;
const FIGURE = /^\d{1,5}([.,]\d{1,2})?$/;

/** A line with a segment that starts "Total..." and a figure after it. */
export function totalLine(line: Line, columns: TableColumn[], bounds: number[]): TotalLine | null {
  const seg = line.segments.findIndex((s) => TOTAL_LABEL.test(s.map((w) => w.text).join(' ')));
  if (seg < 0) return null;
  const after = line.segments.slice(seg).flat();
  const label: Word[] = [];
  const values: TotalValue[] = [];
  for (const w of after) {
    const t = w.text.replace(/^[(:]+|[):;,]+$/g, '');
    if (FIGURE.test(t))
      values.push({ value: Number(t.replace(',', '.')), word: w, key: columnAt((w.x0 + w.x1) / 2, columns, bounds) });
    else if (!values.length) label.push(w);
  }
  return values.length ? { line, label, values } : null;
}

/** A "Total Credits:" label whose figure OCR lost: it still ends the rows (it is no wrapped title). */
export function totalLabelOnly(line: Line): boolean {
  return /^(grand\s+)?totals?\b[^:\d]{0,30}:$/i.test(line.text.trim());
}
