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
import { oneEditApart } from './edit-distance';
import type { Line, Word } from './types';

export interface ColumnVocabulary {
  /** The name the cells are returned under; `null` for a column recognised only to be dropped (IDs, formats). */
  key: string | null;
  /** Header wordings, lowercase words separated by single spaces ("completion date"). */
  headers: string[];
}

export type Cells = Record<string, Word[]>;

/** What a line's cells make it: the first line of a row, a line shaped like one that does not read (a garbled date), or neither. */
export type LineKind = 'row' | 'broken' | null;

export interface TableSpec {
  columns: ColumnVocabulary[];
  /** Keys a header must name to be taken for this table's header. */
  required: string[];
  lineKind: (cells: Cells) => LineKind;
}

export interface TableColumn {
  key: string | null;
  /** The heading as printed (both lines of a two-line heading). */
  header: string;
  x0: number;
  x1: number;
}

export interface TableRow {
  cells: Cells;
  lines: Line[];
  /** False for a row whose first line is shaped like a row but did not read as one: kept apart so its wrapped lines join nothing else. */
  valid: boolean;
}

export interface TotalValue {
  value: number;
  word: Word;
  /** The column the figure stands in (by the table's boundaries), or null outside the columns. */
  key: string | null;
}

export interface TotalLine {
  line: Line;
  /** The words of the label ("Total Contact Hours:"). */
  label: Word[];
  values: TotalValue[];
}

export interface Table {
  columns: TableColumn[];
  rows: TableRow[];
  totals: TotalLine[];
  /** Every line the table is made of (headers, rows, totals): the rest of the document lies outside it. */
  lines: Set<Line>;
  /** Lines between the header and the last row that joined no row. */
  stray: number;
}

// ---------------------------------------------------------------------------------------------
// Header rows

interface Vocabulary {
  phrases: { tokens: string[]; key: string | null }[];
  tokens: Set<string>;
}

function vocabulary(spec: TableSpec): Vocabulary {
  const phrases = spec.columns.flatMap((c) => c.headers.map((h) => ({ tokens: h.split(' '), key: c.key })));
  // Longest first, so "activity id" wins over "activity" and "credit type" over "credit".
  phrases.sort((a, b) => b.tokens.length - a.tokens.length);
  return { phrases, tokens: new Set(phrases.flatMap((p) => p.tokens)) };
}

const MONTH = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)$/i;

/** An OCR scrap: no letter or digit, or two or three characters read unsurely ("oo", "Toa"). */
export function isSpeckWord(w: Word): boolean {
  const core = w.text.replace(/[^A-Za-z0-9]/g, '');
  return (
    core.length === 0 ||
    (w.conf < 0.6 && core.length <= 2) ||
    (w.conf < 0.35 && core.length <= 3 && !/\d/.test(core) && !MONTH.test(core))
  );
}

/** A word as a header token; an unsure OCR reading one letter away from exactly one vocabulary word reads as that word. */
function headerToken(w: Word, vocab: Vocabulary): string {
  const t = w.text.toLowerCase().replace(/[^a-z0-9#]/g, '');
  if (vocab.tokens.has(t) || w.conf >= 0.95 || t.length < 5) return t;
  const close = [...vocab.tokens].filter((v) => v.length >= 5 && oneEditApart(t, v));
  return close.length === 1 ? close[0]! : t;
}

interface HeaderCell {
  key: string | null;
  tokens: string[];
  words: Word[];
}

function phraseKey(tokens: string[], vocab: Vocabulary): { key: string | null; known: boolean } {
  // The longest wording found anywhere in the cell's words names it ("date completed" -> date).
  for (const p of vocab.phrases) {
    for (let i = 0; i + p.tokens.length <= tokens.length; i++) {
      if (p.tokens.every((t, k) => tokens[i + k] === t)) return { key: p.key, known: true };
    }
  }
  return { key: null, known: false };
}

/** Splits one run of header words into headings by the vocabulary, longest wording first. */
function splitRun(words: Word[], vocab: Vocabulary): { cells: HeaderCell[]; known: number } {
  const tokens = words.map((w) => headerToken(w, vocab));
  const cells: HeaderCell[] = [];
  let pending: Word[] = [];
  let pendingTokens: string[] = [];
  let known = 0;
  let i = 0;
  while (i < tokens.length) {
    const p = vocab.phrases.find((ph) => ph.tokens.every((t, k) => tokens[i + k] === t));
    if (p) {
      const n = p.tokens.length;
      cells.push({
        key: p.key,
        tokens: [...pendingTokens, ...tokens.slice(i, i + n)],
        words: [...pending, ...words.slice(i, i + n)],
      });
      pending = [];
      pendingTokens = [];
      known += n;
      i += n;
      continue;
    }
    // A word no wording knows belongs to the heading before it ("Credits Earned"), or the next.
    const last = cells[cells.length - 1];
    if (last) {
      last.words.push(words[i]!);
      last.tokens.push(tokens[i]!);
    } else {
      pending.push(words[i]!);
      pendingTokens.push(tokens[i]!);
    }
    i++;
  }
  // Words no wording knows make a column of their own (to be dropped), unless OCR was unsure of them all: then they are noise.
  if (pending.length && pending.some((w) => w.conf >= 0.5))
    cells.push({ key: null, tokens: pendingTokens, words: pending });
  return { cells, known };
}

interface Header {
  columns: TableColumn[];
  lines: Line[];
  /** Index of the first line after the header. */
  end: number;
}

const hasDigit = (w: Word) => /\d/.test(w.text);

/** The header starting at line i, with a second heading line under it when there is one. */
function headerAt(lines: Line[], i: number, vocab: Vocabulary, spec: TableSpec): Header | null {
  const line = lines[i]!;
  const runs = line.segments.map((s) => s.filter((w) => !isSpeckWord(w))).filter((s) => s.length);
  const words = runs.flat();
  if (words.length < 2 || words.length > 24) return null;
  const split = runs.map((r) => splitRun(r, vocab));
  const known = split.reduce((s, r) => s + r.known, 0);
  // A heading row is mostly headings: a sentence that names a few ("Date range: ...") is not.
  if (known < words.length * 0.6 || words.filter(hasDigit).length > 1) return null;
  const cells = split.flatMap((r) => r.cells);
  const used = [line];
  // The second line of two-line headings: close under the first, every word a heading word.
  const next = lines[i + 1];
  if (next && next.page === line.page && next.y0 - line.y1 < (line.y1 - line.y0) * 1.0) {
    const under = next.words.filter((w) => !isSpeckWord(w));
    if (under.length && !under.some(hasDigit) && under.every((w) => vocab.tokens.has(headerToken(w, vocab)))) {
      for (const w of under) {
        const cell = nearestCell(cells, w);
        if (!cell) continue;
        cell.words.push(w);
        cell.tokens.push(headerToken(w, vocab));
      }
      used.push(next);
    }
  }
  for (const c of cells) {
    const k = phraseKey(c.tokens, vocab);
    if (k.known) c.key = k.key;
  }
  const keys = new Set(cells.map((c) => c.key));
  if (!spec.required.every((k) => keys.has(k))) return null;
  const columns = cells
    .map((c) => ({
      key: c.key,
      header: c.words.map((w) => w.text).join(' '),
      x0: Math.min(...c.words.map((w) => w.x0)),
      x1: Math.max(...c.words.map((w) => w.x1)),
    }))
    .sort((a, b) => a.x0 - b.x0);
  // A key named twice (two date columns) keeps its first column; the other is dropped.
  const seen = new Set<string>();
  for (const c of columns) {
    if (c.key !== null && seen.has(c.key)) c.key = null;
    if (c.key !== null) seen.add(c.key);
  }
  return { columns, lines: used, end: i + used.length };
}

function nearestCell(cells: HeaderCell[], w: Word): HeaderCell | null {
  let best: HeaderCell | null = null;
  let bestScore = -Infinity;
  for (const c of cells) {
    const x0 = Math.min(...c.words.map((v) => v.x0));
    const x1 = Math.max(...c.words.map((v) => v.x1));
    const overlap = Math.min(x1, w.x1) - Math.max(x0, w.x0);
    if (overlap > bestScore) {
      bestScore = overlap;
      best = c;
    }
  }
  return bestScore > -0.03 ? best : null;
}

// ---------------------------------------------------------------------------------------------
// Column boundaries

/**
 * Where column A ends and B begins: the widest strip between them that the fewest row words
 * cross (a gutter crosses none). The search runs from A's heading end (or B's start, if that
 * is left of it) to just past B's heading start.
 */
function boundary(a: TableColumn, b: TableColumn, words: Word[], rowLines: number): number {
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

function cellsOf(line: Line, columns: TableColumn[], bounds: number[]): Cells {
  const cells: Cells = {};
  for (const c of columns) if (c.key !== null) cells[c.key] = [];
  for (const w of line.words) {
    if (isSpeckWord(w) && w.conf < 0.999) continue;
    const centre = (w.x0 + w.x1) / 2;
    let k = 0;
    while (k < bounds.length && centre >= bounds[k]!) k++;
    const key = columns[k]!.key;
    if (key !== null) cells[key]!.push(w);
  }
  return cells;
}

function columnAt(x: number, columns: TableColumn[], bounds: number[]): string | null {
  if (x < columns[0]!.x0 - 0.05 || x > columns[columns.length - 1]!.x1 + 0.05) return null;
  let k = 0;
  while (k < bounds.length && x >= bounds[k]!) k++;
  return columns[k]!.key;
}

// ---------------------------------------------------------------------------------------------
// Totals

const TOTAL_LABEL = /^(grand\s+)?totals?\b/i;
const FIGURE = /^\d{1,5}([.,]\d{1,2})?$/;

/** A line with a segment that starts "Total..." and a figure after it. */
function totalLine(line: Line, columns: TableColumn[], bounds: number[]): TotalLine | null {
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

// ---------------------------------------------------------------------------------------------
// Rows

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
  for (const r of table.rows) r.lines.sort((a, b) => order(a, b, lines));
  return table;
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

/** The section's boundaries and its lines up to its first total (noise lines left out); totals recorded. */
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
  let end = body.findIndex((l) => totalLine(l, columns, bounds));
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
