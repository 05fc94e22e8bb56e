/**
 * Tables from word positions.
 *
 * 1. A header row is a line whose words read as column headings of the caller's vocabulary
 *    (kept as data: "completion date", "credits claimed", "activity id"...), possibly with a
 *    second line under it ("Date" / "Completed"). Several headings may share one run of words
 *    ("Completion Date Credit Type"): the longest wordings are matched first.
 * 2. Column boundaries come from the cells under the header: between two headings, the cut is
 *    the widest vertical strip that no word of the rows crosses (a gutter), so left-, right- and
 *    centre-aligned columns, and cells wider than their heading, all fall where they belong.
 * 3. Each line is cut into cells at those boundaries. The caller says which lines start a row
 *    (a date and a credit figure, say); other lines are wrapped cells and join the row they
 *    belong to, decided by vertical gaps (a wrap sits closer to its own row than to the next),
 *    so a wrapped cell stays in its column and never joins a neighbouring column's text.
 * 4. A header repeated on a later page continues the table; lines between it and the first row
 *    there finish the last row of the previous page (a row split by the page break).
 * 5. Lines that start with "Total" are totals, not rows; the values on them are returned with
 *    the column each stands in.
 *
 * Nothing here knows one issuer's wording: the vocabulary and the row test are the caller's.
 */
import { boundary, cellsOf, totalLabelOnly, totalLine } from './table-columns';
import { headerAt, isSpeckWord, vocabulary, type Header } from './table-header';
import type { Cells, LineKind, Table, TableRow, TableSpec } from './table-types';
import type { Line, Word } from './types';

export { isSpeckWord } from './table-header';
export type * from './table-types';

interface Section {
  header: Header;
  body: Line[];
}

interface Item {
  line: Line;
  kind: LineKind;
  cells: Cells;
}

const gap = (above: Line, below: Line) => below.y0 - above.y1;
const height = (l: Line) => l.y1 - l.y0;

/** A line of OCR scraps only (table shading, rule remnants). */
function noiseLine(line: Line): boolean {
  return line.words.every((w) => isSpeckWord(w) || (w.conf < 0.5 && w.text.replace(/[^A-Za-z0-9]/g, '').length <= 3));
}

/**
 * The table whose header matches the spec, its rows in document order across pages.
 * Returns null when no line reads as such a header.
 */
export function readTable(lines: Line[], spec: TableSpec): Table | null {
  const vocab = vocabulary(spec);
  const sections: Section[] = [];
  for (let i = 0; i < lines.length;) {
    const h = headerAt(lines, i, vocab, spec);
    if (h) {
      sections.push({ header: h, body: [] });
      i = h.end;
      continue;
    }
    sections[sections.length - 1]?.body.push(lines[i]!);
    i++;
  }
  if (!sections.length) return null;

  const table: Table = { columns: sections[0]!.header.columns, rows: [], totals: [], lines: new Set(), stray: 0 };
  // Per section: its boundaries, its items up to a total, and the totals.
  const samples = sections.map((s) => sampleOf(s, spec));
  const laid = sections.map((s) => layOut(s, sections, samples, spec, table));

  // Are cells top-aligned (wrapped lines follow the row's first line)? Judged on the runs of
  // wrapped lines between two rows on one page: where the widest gap falls.
  const runs = laid.flatMap((l) => runsOf(l.items));
  const wrapGaps: number[] = [];
  const rowGaps: number[] = [];
  let below = 0;
  for (const r of runs) {
    const s = splitAt(r.gaps);
    if (s < r.lines.length) below++;
    r.gaps.forEach((g, k) => (k === s ? rowGaps : wrapGaps).push(g));
  }
  const topAligned = below * 2 <= runs.length;
  const lineHeight = median(laid.flatMap((l) => l.items.map((it) => height(it.line))));
  const wrapLimit = wrapGaps.length ? Math.max(...wrapGaps) + 0.25 * lineHeight : 0.5 * lineHeight;
  const rowGap = rowGaps.length ? median(rowGaps) : Infinity;

  let last: TableRow | null = null;
  laid.forEach(({ items }, si) => {
    const pages = [...new Set(items.map((it) => it.line.page))];
    pages.forEach((page, pi) => {
      const group = items.filter((it) => it.line.page === page);
      const starts = group.map((it, k) => (it.kind ? k : -1)).filter((k) => k >= 0);
      if (!starts.length) return;
      const rows = new Map<number, TableRow>();
      for (const k of starts) rows.set(k, newRow(group[k]!, table));
      // Lines before the page's first row.
      const leading = group.slice(0, starts[0]);
      if (leading.length) {
        if (!topAligned) leading.forEach((it) => join(rows.get(starts[0]!)!, it, table));
        else if (pi === 0 && si > 0 && last) {
          // Right under a repeated header: the rest of a row the page break split.
          const taken = closeRun(leading, null, wrapLimit, Infinity);
          taken.forEach((it) => join(last!, it, table));
          table.stray += leading.length - taken.length;
        } else if (pi === 0) table.stray += leading.length;
      }
      // Lines between two rows: split at the widest gap.
      starts.forEach((k, j) => {
        const next = starts[j + 1];
        const row = rows.get(k)!;
        if (next === undefined) {
          // After the page's last row: wrapped lines close under it; footers and notes are not.
          closeRun(group.slice(k + 1), group[k]!.line, wrapLimit, rowGap * 0.9).forEach((it) => join(row, it, table));
          return;
        }
        const run = group.slice(k + 1, next);
        if (!run.length) return;
        const ls = [group[k]!.line, ...run.map((r) => r.line), group[next]!.line];
        const s = splitAt(ls.slice(1).map((l, m) => gap(ls[m]!, l)));
        run.slice(0, s).forEach((it) => join(row, it, table));
        run.slice(s).forEach((it) => join(rows.get(next)!, it, table));
      });
      last = rows.get(starts[starts.length - 1]!)!;
    });
  });
  for (const r of table.rows) {
    r.lines.sort((a, b) => order(a, b, lines));
    for (const k of Object.keys(r.cells)) r.cells[k] = readingOrder(r.cells[k]!);
  }
  return table;
}

/**
 * A cell's words in reading order. OCR may put the words of one printed line into two lines
 * (one word's box a little higher than the rest): the cell then held "Pain and the Prevention"
 * and, from the other line, "Management". Words whose boxes overlap vertically by more than
 * half the smaller height are on one printed line, read left to right; lines top to bottom.
 */
export function readingOrder(words: Word[]): Word[] {
  const bands: { y0: number; y1: number; words: Word[] }[] = [];
  for (const w of words) {
    const h = w.y1 - w.y0;
    const band = bands.find(
      (b) =>
        b.words[0]!.page === w.page && Math.min(b.y1, w.y1) - Math.max(b.y0, w.y0) > 0.5 * Math.min(h, b.y1 - b.y0),
    );
    if (band) {
      band.words.push(w);
      band.y0 = median(band.words.map((x) => x.y0));
      band.y1 = median(band.words.map((x) => x.y1));
    } else bands.push({ y0: w.y0, y1: w.y1, words: [w] });
  }
  bands.sort((a, b) => a.words[0]!.page - b.words[0]!.page || (a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2);
  return bands.flatMap((b) => b.words.sort((p, q) => p.x0 - q.x0));
}

/** The lines of a run that follow one another (from `from`) with no gap wider than a wrap. */
function closeRun(run: Item[], from: Line | null, wrapLimit: number, rowLimit: number): Item[] {
  const out: Item[] = [];
  let prev = from;
  for (const it of run) {
    if (prev) {
      const g = gap(prev, it.line);
      if (g > wrapLimit || g >= rowLimit) break;
    }
    out.push(it);
    prev = it.line;
  }
  return out;
}

function order(a: Line, b: Line, lines: Line[]): number {
  return lines.indexOf(a) - lines.indexOf(b);
}

function newRow(it: Item, table: Table): TableRow {
  const row: TableRow = {
    cells: Object.fromEntries(Object.entries(it.cells).map(([k, v]) => [k, [...v]])),
    lines: [it.line],
    valid: it.kind === 'row',
  };
  table.rows.push(row);
  table.lines.add(it.line);
  return row;
}

function join(row: TableRow, it: Item, table: Table): void {
  for (const [k, ws] of Object.entries(it.cells)) (row.cells[k] ??= []).push(...ws);
  row.lines.push(it.line);
  table.lines.add(it.line);
}

/** First pass: boundaries halfway between headings, enough to tell which lines start rows; the lines that show the columns. */
function sampleOf(section: Section, spec: TableSpec): { words: Word[]; rowLines: number } {
  const { columns } = section.header;
  const rough = columns.slice(1).map((c, k) => (columns[k]!.x1 + c.x0) / 2);
  const body = section.body.filter((l) => !noiseLine(l));
  let end = body.findIndex((l) => totalLine(l, columns, rough));
  if (end < 0) end = body.length;
  const kinds = body.slice(0, end).map((l) => spec.lineKind(cellsOf(l, columns, rough)) !== null);
  let last = kinds.lastIndexOf(true);
  // Wrapped lines under the last row, but not the notes or footer further down.
  while (
    last >= 0 &&
    last + 1 < end &&
    body[last + 1]!.page === body[last]!.page &&
    gap(body[last]!, body[last + 1]!) < height(body[last]!) * 0.8
  )
    last++;
  return {
    words: body.slice(0, last + 1).flatMap((l) => l.words.filter((w) => !isSpeckWord(w))),
    rowLines: kinds.filter(Boolean).length,
  };
}

/** Same columns at the same places: a header repeated on another page. */
function sameHeader(a: Header, b: Header): boolean {
  return (
    a.columns.length === b.columns.length &&
    a.columns.every((c, k) => c.key === b.columns[k]!.key && Math.abs(c.x0 - b.columns[k]!.x0) < 0.015)
  );
}

/**
 * The section's cells and its lines up to its first total (noise lines left out); totals
 * recorded. Boundaries come from the rows under every repeat of the same header, so a page
 * with two rows is cut like the page with forty.
 */
function layOut(
  section: Section,
  all: Section[],
  samples: { words: Word[]; rowLines: number }[],
  spec: TableSpec,
  table: Table,
): { section: Section; items: Item[] } {
  const { columns } = section.header;
  for (const l of section.header.lines) table.lines.add(l);
  const same = samples.filter((_, k) => sameHeader(all[k]!.header, section.header));
  const words = same.flatMap((x) => x.words);
  const rowLines = same.reduce((n, x) => n + x.rowLines, 0);
  const bounds = columns.slice(1).map((c, k) => boundary(columns[k]!, c, words, rowLines));
  for (let k = 1; k < bounds.length; k++) bounds[k] = Math.max(bounds[k]!, bounds[k - 1]!);
  const body = section.body.filter((l) => !noiseLine(l));
  let end = body.findIndex((l) => totalLine(l, columns, bounds) || totalLabelOnly(l));
  if (end < 0) end = body.length;
  const items = body.slice(0, end).map((line) => {
    const cells = cellsOf(line, columns, bounds);
    return { line, cells, kind: spec.lineKind(cells) };
  });
  // Totals: the first total line ends the rows; any after it (a second total) count too.
  for (const l of body.slice(end)) {
    const t = totalLine(l, columns, bounds);
    if (t) {
      table.totals.push(t);
      table.lines.add(l);
    }
  }
  return { section, items };
}

interface Run {
  lines: Line[];
  gaps: number[];
}

/** Runs of non-row lines between two row lines of one page, with the gaps around and between them. */
function runsOf(items: Item[]): Run[] {
  const out: Run[] = [];
  let anchor: Item | null = null;
  let run: Item[] = [];
  for (const it of items) {
    if (it.kind) {
      if (anchor && run.length && anchor.line.page === it.line.page && run.every((r) => r.line.page === it.line.page)) {
        const ls = [anchor.line, ...run.map((r) => r.line), it.line];
        out.push({ lines: run.map((r) => r.line), gaps: ls.slice(1).map((l, j) => gap(ls[j]!, l)) });
      }
      anchor = it;
      run = [];
    } else run.push(it);
  }
  return out;
}

/**
 * Where a run of wrapped lines between two rows divides: at its widest gap (the space between
 * rows), the last of near-equal ones (top-aligned cells, the common case). Returns how many
 * lines of the run go with the row above.
 */
function splitAt(gaps: number[]): number {
  const max = Math.max(...gaps);
  const tol = Math.max(0.0015, Math.abs(max) * 0.15);
  let s = gaps.length - 1;
  while (s > 0 && gaps[s]! < max - tol) s--;
  return s;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}

/** The text of a cell's words in reading order. */
export function cellText(words: Word[]): string {
  return words
    .map((w) => w.text)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
