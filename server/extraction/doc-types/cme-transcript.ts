/**
 * CME transcripts: one learner, a table of activities (possibly over several pages, titles
 * wrapping onto a second line), and usually a printed total.
 */
import type { CmeActivity } from '../../../common/extraction';
import { findDates } from '../dates';
import { best, searchByLabel, type LabelRule } from '../field-search';
import { creditTypeOf, parseCredits, parseName } from '../parsers';
import type { Found, Line, Word } from '../types';
import { npi, type DocContext, type FieldMap } from './shared-fields';

const L = (re: RegExp, strength = 1): LabelRule => ({ re, strength });

const NAME_LABELS = [
  L(/\b(participant name|participant|learner name|learner|physician name|physician|member name|member|name|transcript for|prepared for|report for)\b[:\s]*/i, 0.9),
];
const TOTAL_LABELS = [L(/\b(total (AMA PRA Category 1 )?(credits?|hours)( earned| claimed| awarded)?|grand total|total)\b[:\s]*/i)];

type Column = 'title' | 'provider' | 'date' | 'credits' | 'type';

interface ColumnStart {
  column: Column;
  x0: number;
}

function headerColumns(line: Line): ColumnStart[] | null {
  const cols: ColumnStart[] = [];
  for (const seg of line.segments) {
    const t = seg.map((w) => w.text).join(' ').toLowerCase();
    let column: Column | null = null;
    if (/credit type|category|type/.test(t)) column = 'type';
    else if (/credits?|hours|cme/.test(t)) column = 'credits';
    else if (/date|completed/.test(t)) column = 'date';
    else if (/provider|sponsor|organi[sz]ation|accredit/.test(t)) column = 'provider';
    else if (/title|activity|course|program|description/.test(t)) column = 'title';
    if (column && !cols.some((c) => c.column === column)) cols.push({ column, x0: seg[0]!.x0 });
  }
  const names = new Set(cols.map((c) => c.column));
  return names.has('title') && names.has('credits') && names.has('date') ? cols.sort((a, b) => a.x0 - b.x0) : null;
}

function columnOf(cols: ColumnStart[], w: Word): Column {
  let col = cols[0]!.column;
  for (const c of cols) if (w.x0 >= c.x0 - 0.012) col = c.column;
  return col;
}

interface Row {
  cells: Record<Column, Word[]>;
}

const emptyRow = (): Row => ({ cells: { title: [], provider: [], date: [], credits: [], type: [] } });

function parseRows(lines: Line[]): { rows: Row[]; lastRowLine: number } | null {
  let cols: ColumnStart[] | null = null;
  const rows: Row[] = [];
  let lastRowLine = -1;
  let current: Row | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = headerColumns(line);
    if (header) {
      cols = header;
      current = null;
      continue;
    }
    if (!cols) continue;
    if (/^\s*(total|grand total|page \d)/i.test(line.text)) {
      current = null;
      continue;
    }
    const row = emptyRow();
    for (const w of line.words) row.cells[columnOf(cols, w)].push(w);
    const hasDate = findDates(row.cells.date.map((w) => w.text)).length > 0;
    // A figure whose decimal point OCR lost ("725") still makes the line a row (rowCredits).
    const hasCredits = row.cells.credits.some((w) => parseCredits([w]) || BARE_FIGURE.test(w.text));
    if (hasDate && hasCredits) {
      rows.push(row);
      current = row;
      lastRowLine = i;
    } else if (current && !hasDate && !hasCredits && line.page === lines[lastRowLine]!.page && line.y0 - lines[lastRowLine]!.y1 < (line.y1 - line.y0) * 1.2) {
      // A wrapped title or provider: its words join the row above.
      current.cells.title.push(...row.cells.title);
      current.cells.provider.push(...row.cells.provider);
      current.cells.type.push(...row.cells.type);
      lastRowLine = i;
    } else {
      current = null;
    }
  }
  return cols ? { rows, lastRowLine } : null;
}

/**
 * Rows without a readable header (OCR loses white-on-grey header bands): a line with a date
 * and a credit figure after it is a row; the text before the date is the title (and provider,
 * when it falls in a second segment); close lines below without a date continue the title.
 */
function headerlessRows(lines: Line[]): Row[] {
  const rows: Row[] = [];
  let current: Row | null = null;
  let dateX = 1;
  let last: Line | null = null;
  for (const line of lines) {
    const texts = line.words.map((w) => w.text);
    const date = findDates(texts)[0];
    const creditWord = date ? line.words.slice(date.start + date.length).reverse().find((w) => parseCredits([w])) : undefined;
    if (date && creditWord && !/generated|printed|designat|accredit/i.test(line.text)) {
      const row = emptyRow();
      const before = line.words.slice(0, date.start);
      const segs = line.segments.map((sg) => sg.filter((w) => before.includes(w))).filter((sg) => sg.length);
      row.cells.title.push(...(segs[0] ?? []));
      for (const sg of segs.slice(1)) row.cells.provider.push(...sg);
      row.cells.date.push(...line.words.slice(date.start, date.start + date.length));
      row.cells.credits.push(creditWord);
      rows.push(row);
      current = row;
      dateX = line.words[date.start]?.x0 ?? 1;
      last = line;
    } else if (current && last && line.page === last.page && !date && line.y0 - last.y1 < (line.y1 - line.y0) * 1.2 && !/total/i.test(line.text)) {
      current.cells.title.push(...line.words.filter((w) => w.x0 < dateX - 0.01));
      last = line;
    } else {
      current = null;
    }
  }
  return rows;
}

/**
 * A row's credit figure. OCR loses the decimal point of small figures ("725" for 7.25, "025"
 * for 0.25): in a column that prints two decimals, a bare figure of three or four digits is
 * read with its point restored, and its word marked unsure so the row and any sum say so.
 */
const BARE_FIGURE = /^\d{3,4}[.,;:]?$/;

export function rowCredits(words: Word[], twoDecimals: boolean): { value: number; word: Word } | null {
  const p = parseCredits(words);
  const bare = words.slice(0, 3).find((w) => BARE_FIGURE.test(w.text));
  if (twoDecimals && bare && (!p || p.words[0] === bare)) {
    return { value: Number(bare.text.replace(/[.,;:]$/, '')) / 100, word: { ...bare, conf: Math.min(bare.conf, 0.5) } };
  }
  return p ? { value: p.value as number, word: p.words[0]! } : null;
}

/** Most of the column's figures print two decimals ("7.25", "10.00"). */
function printsTwoDecimals(rows: Row[]): boolean {
  const figures = rows.flatMap((r) => r.cells.credits.filter((w) => /^\d+([.,]\d+)?$/.test(w.text)));
  return figures.filter((w) => /^\d+\.\d\d$/.test(w.text)).length * 2 > figures.length;
}

function toActivity(row: Row, hasProvider: boolean, credits: number | null): CmeActivity {
  const text = (ws: Word[]) => ws.map((w) => w.text).join(' ').trim();
  const date = findDates(row.cells.date.map((w) => w.text)).pop();
  const typeText = text(row.cells.type) || text(row.cells.credits);
  return {
    title: text(row.cells.title),
    provider: hasProvider ? text(row.cells.provider) || null : null,
    completionDate: date?.iso ?? null,
    credits,
    creditType: creditTypeOf(typeText) ?? (typeText ? 'OTHER' : null),
  };
}

export function extractCmeTranscript(ctx: DocContext): FieldMap {
  const withHeader = parseRows(ctx.lines);
  const parsed = withHeader?.rows.length ? withHeader : { rows: headerlessRows(ctx.lines), lastRowLine: -1 };
  let activities: Found | null = null;
  let sum = 0;
  let creditWords: Word[] = [];
  if (parsed.rows.length) {
    const hasProvider = parsed.rows.some((r) => r.cells.provider.length > 0);
    const twoDecimals = printsTwoDecimals(parsed.rows);
    const credits = parsed.rows.map((r) => rowCredits(r.cells.credits, twoDecimals));
    const list = parsed.rows.map((r, i) => toActivity(r, hasProvider, credits[i]?.value ?? null));
    sum = list.reduce((s, a) => s + (a.credits ?? 0), 0);
    creditWords = credits.flatMap((c) => (c ? [c.word] : []));
    const words = parsed.rows.flatMap((r, i) => [...Object.values(r.cells).flat().filter((w) => w !== credits[i]?.word), ...(credits[i] ? [credits[i].word] : [])]).filter((w) => w.page === parsed.rows[0]!.cells.date[0]?.page);
    activities = { value: list, method: withHeader?.rows.length ? 'table' : 'pattern', labelStrength: 0.9, words };
  }
  const printed = best(searchByLabel(ctx.lines, TOTAL_LABELS, parseCredits));
  let totalCredits: Found | null = printed;
  if (!printed && activities) {
    // A sum is only as good as every figure in it (and the row count): its confidence comes
    // from the least sure figure; over OCR-read rows one missed or extra row makes it wrong.
    const ocrRows = activities.words.some((w) => w.conf < 0.999);
    totalCredits = { value: Math.round(sum * 100) / 100, method: 'derived', labelStrength: ocrRows ? 0.3 : 0.8, words: creditWords.length ? creditWords : activities.words.slice(0, 1) };
  } else if (printed && activities && Math.abs((printed.value as number) - sum) > 0.001) {
    // A printed total that disagrees with the rows: one of them was misread.
    totalCredits = { ...printed, labelStrength: printed.labelStrength * 0.7 };
  }
  return {
    participantName: best(searchByLabel(ctx.lines, NAME_LABELS, parseName)),
    activities,
    totalCredits,
    npi: npi(ctx),
  };
}
