/**
 * CME transcripts: one learner, a table of activities (possibly over several pages, cells
 * wrapping onto further lines), and usually a printed total. The table is rebuilt from word
 * positions (../table.ts) with the heading vocabulary below; rows that do not read, lines that
 * joined no row and a printed total that disagrees with the rows all lower the confidence.
 */
import type { CmeActivity, CreditType } from '../../../common/extraction';
import { cleanTitle, mendSequenceNumerals, mendShortWords, splitGluedWords } from '../activity-titles';
import { findDates } from '../dates';
import { best, findLabels, searchByLabel, type LabelRule } from '../field-search';
import { isDegree } from '../names';
import { documentVocabulary, mendText } from '../ocr-vocabulary';
import { readCellDate } from '../cell-dates';
import { isUnreadFigure, settleByTotal } from '../cell-figures';
import { creditTypeOf, parseCredits, parseName, trimEdgeSpecks } from '../parsers';
import {
  cellText,
  isSpeckWord,
  readTable,
  type Cells,
  type ColumnVocabulary,
  type LineKind,
  type Table,
  type TableRow,
  type TableSpec,
} from '../table';
import type { Found, Line, Word } from '../types';
import { BARE_FIGURE, readRowValues } from './cme-rows';
import { npi, type DocContext, type FieldMap } from './shared-fields';

export { rowCredits } from './cme-rows';

const L = (re: RegExp, strength = 1): LabelRule => ({ re, strength });

const NAME_LABELS = [
  L(
    /\b(participant name|participant|learner name|learner|physician name|physician|member name|member|name|transcript for|prepared for|report for|nurse|clinician|licensee)\b[:\s]*/i,
    0.9,
  ),
];
const TOTAL_LABELS = [
  L(
    /\b(total (AMA PRA Category 1 )?(credits?|hours)( earned| claimed| awarded| reported)?|grand total|total)\b[:\s]*/i,
  ),
];

/** Column headings of transcript tables, by what the column holds. */
const COLUMNS: ColumnVocabulary[] = [
  {
    key: 'date',
    headers: [
      'date',
      'completion date',
      'date completed',
      'completed',
      'completion',
      'date of completion',
      'activity date',
      'date earned',
      'earned',
      'session date',
      'end date',
      'date awarded',
      'award date',
      'attended',
      'date attended',
    ],
  },
  {
    key: 'title',
    headers: [
      'title',
      'activity',
      'activity title',
      'activity name',
      'course',
      'course name',
      'course title',
      'description',
      'activity description',
      'program',
      'program title',
      'program name',
      'topic',
      'session',
      'session title',
      'event',
      'event name',
      'educational activity',
      'learning activity',
    ],
  },
  {
    key: 'provider',
    headers: [
      'provider',
      'sponsor',
      'provider name',
      'accredited provider',
      'sponsoring organization',
      'sponsored by',
      'organization',
      'provided by',
      'offered by',
      'presented by',
      'accreditor',
      'institution',
      'cme provider',
    ],
  },
  {
    key: 'credits',
    headers: [
      'credits',
      'credit',
      'hours',
      'hrs',
      'credit hours',
      'contact hours',
      'cme credits',
      'cme hours',
      'ce hours',
      'credits claimed',
      'credits earned',
      'credits awarded',
      'hours claimed',
      'hours earned',
      'units',
      'ceus',
      'ceu',
      'amount',
      'credit amount',
      'ama pra category 1 credits',
      'category 1 credits',
    ],
  },
  {
    key: 'type',
    headers: [
      'credit type',
      'type',
      'category',
      'credit category',
      'credit designation',
      'designation',
      'type of credit',
      'cat',
      'credit system',
    ],
  },
  {
    key: null,
    headers: [
      'activity id',
      'id',
      'activity #',
      'activity no',
      'activity number',
      'course id',
      'course #',
      'course number',
      'program id',
      'format',
      'activity format',
      'activity type',
      'delivery',
      'method',
      'pharm hours',
      'pharm',
      'pharmacology hours',
      'pharmacology',
      'rx hours',
      'location',
      'status',
      'moc points',
      'moc',
      'certificate',
      'start date',
      'begin date',
      'verified',
      'source',
      'specialty',
      'notes',
      '#',
      'no',
    ],
  },
];

const hasFigure = (ws: Word[]) =>
  ws.some(
    (w) =>
      parseCredits([w]) ||
      BARE_FIGURE.test(w.text.replace(/[\])|]+$/, '')) ||
      /^\d{1,3}[.:]\d\d\d?$/.test(w.text) ||
      isUnreadFigure(w.text),
  );

function lineKind(cells: Cells): LineKind {
  const date = cells.date ?? [];
  const credits = cells.credits ?? [];
  const hasDate = readCellDate(date) !== null;
  const figure = hasFigure(credits);
  if (hasDate && figure) return 'row';
  // Shaped like a row (digits in the date and credit columns) but one of them did not read.
  const digits = (ws: Word[]) => ws.some((w) => /\d/.test(w.text));
  // A footer ("Doe, Jane   page 1 of 3") has no title.
  if (!(cells.title ?? []).length) return null;
  if ((digits(date) && digits(credits)) || (hasDate && credits.length) || (figure && date.length)) return 'broken';
  return null;
}

export const TRANSCRIPT_SPEC: TableSpec = { columns: COLUMNS, required: ['title', 'date', 'credits'], lineKind };

/**
 * The column prints two decimals ("7.25", "10.00"): nearly all of its figures with a point
 * have two after it, or most of its figures are such.
 */
function printsTwoDecimals(cells: Word[][]): boolean {
  const figures = cells.flatMap((ws) => ws.filter((w) => /^\d+([.,:]\d+)?$/.test(w.text)));
  const pointed = figures.filter((w) => /[.,:]/.test(w.text));
  const two = pointed.filter((w) => /^\d+[.,:]\d\d$/.test(w.text)).length;
  return (pointed.length >= 3 && two >= pointed.length * 0.8) || two * 2 > figures.length;
}

/**
 * The credit type a cell names. AOA categories are the lettered ones (1-A, 2-B; OCR reads
 * 2 as Z and B as 8); a bare "Category 1" / "Cat. 2" is AMA PRA; anything else printed there
 * ("Participation", "Non-accredited") is OTHER.
 */
export function creditTypeOfCell(text: string): CreditType | null {
  const t = text.toUpperCase();
  const lettered = /(?:^|[^A-Z0-9])([12Z])\s*-\s*([AB8])(?![A-Z0-9])|(?:^|[^A-Z0-9])([12])([AB])(?![A-Z0-9])/.exec(t);
  if (lettered) {
    const n = (lettered[1] ?? lettered[3]) === '2' || lettered[1] === 'Z' ? '2' : '1';
    const l = (lettered[2] ?? lettered[4]) === 'A' ? 'A' : 'B';
    return `AOA_${n}${l}` as CreditType;
  }
  if (/AAPA/.test(t)) return 'AAPA_1';
  if (/AAFP|PRESCRIBED/.test(t)) return 'AAFP';
  const cat = /CAT(?:EGORY)?\.?\s*([12Il|])(?![A-Z0-9])/i.exec(text);
  if (cat) return cat[1] === '2' ? 'AMA_PRA_2' : 'AMA_PRA_1';
  const known = creditTypeOf(text);
  if (known) return known;
  return /[A-Z]{3}/.test(t) ? 'OTHER' : null;
}

/**
 * A document-wide statement of the credit type ("All credits listed are AMA PRA Category 1
 * Credits unless otherwise noted"), from the lines outside the table: the type when they name
 * one, or the one a sentence about all the rows names.
 */
function documentCreditType(outside: Line[]): CreditType | null {
  const named = outside.map((l) => ({ line: l, type: creditTypeOf(l.text) })).filter((x) => x.type);
  const types = new Set(named.map((x) => x.type));
  if (types.size === 1) return named[0]!.type;
  const stated = new Set(
    named.filter((x) => /\b(all|unless|listed|designated)\b/i.test(x.line.text)).map((x) => x.type),
  );
  return stated.size === 1 ? [...stated][0]! : null;
}

/** A title cell without specks at its ends; a short word closing a bracket the title opened ("(Part" "H)") is no speck. */
function titleWords(words: Word[]): Word[] {
  const kept = trimEdgeSpecks(words);
  const last = words[words.length - 1];
  const text = cellText(kept);
  const unclosed = (text.match(/[({]/g) ?? []).length > (text.match(/[)}]/g) ?? []).length;
  return last && kept.length && !kept.includes(last) && unclosed && /[)}]$/.test(last.text) ? [...kept, last] : kept;
}

interface Rows {
  activities: CmeActivity[];
  rows: TableRow[];
  creditWords: (Word | null)[];
  /** Per row, the values a figure that did not read exactly may be (for the printed total to settle). */
  open?: (number[] | null)[];
  /** Rows whose date or figure was read only after undoing an OCR misreading. */
  repaired?: number;
}

function activitiesOf(table: Table, outside: Line[]): Rows {
  const rows = table.rows.filter((r) => r.valid);
  const hasProvider = table.columns.some((c) => c.key === 'provider');
  const hasType = table.columns.some((c) => c.key === 'type');
  const docType = documentCreditType(outside);
  const twoDecimals = printsTwoDecimals(rows.map((r) => r.cells.credits ?? []));
  const ocr = rows.some((r) => Object.values(r.cells).some((ws) => ws.some((w) => w.conf < 0.999)));
  const values = readRowValues(rows, twoDecimals, ocr);
  const creditWords: (Word | null)[] = [];
  const activities = rows.map((r, i) => {
    const text = (key: string) => cellText(trimEdgeSpecks(r.cells[key] ?? []));
    const date = values.dates[i];
    const credits = values.credits[i];
    creditWords.push(credits?.word ?? (values.open[i] ? ((r.cells.credits ?? [])[0] ?? null) : null));
    // A type printed in the credits cell after the figure ("6.0 AMA PRA Category 1").
    const creditsRest = (r.cells.credits ?? []).filter((w) => w !== credits?.word && !/^\d+([.,]\d+)?$/.test(w.text));
    const typeText = hasType ? text('type') : '';
    const creditType =
      (typeText ? creditTypeOfCell(typeText) : null) ??
      (creditsRest.length ? creditTypeOfCell(cellText(creditsRest)) : null) ??
      docType;
    return {
      title: cleanTitle(cellText(titleWords(r.cells.title ?? []))),
      provider: hasProvider ? text('provider') || null : null,
      completionDate: date?.iso ?? null,
      credits: credits?.value ?? null,
      creditType,
    };
  });
  return { activities, rows, creditWords, open: values.open, repaired: values.repaired };
}

/**
 * Rows without a readable header (OCR loses white-on-grey header bands): a line with a date
 * and a credit figure after it is a row; the text before the date is the title (and provider,
 * when it falls in a second segment); close lines below without a date continue the title.
 */
function headerlessRows(lines: Line[]): Rows {
  const activities: CmeActivity[] = [];
  const creditWords: Word[] = [];
  const rows: TableRow[] = [];
  let current: { title: Word[]; row: TableRow } | null = null;
  let dateX = 1;
  let last: Line | null = null;
  const finish = () => {
    if (current) activities[activities.length - 1]!.title = cleanTitle(cellText(current.title));
  };
  for (const line of lines) {
    const texts = line.words.map((w) => w.text);
    const date = findDates(texts)[0];
    const creditWord = date
      ? line.words
          .slice(date.start + date.length)
          .reverse()
          .find((w) => parseCredits([w]))
      : undefined;
    if (date && creditWord && !/generated|printed|designat|accredit/i.test(line.text)) {
      finish();
      const before = line.words.slice(0, date.start);
      const segs = line.segments.map((sg) => sg.filter((w) => before.includes(w))).filter((sg) => sg.length);
      const provider = segs.slice(1).flat();
      activities.push({
        title: '',
        provider: provider.length ? cellText(provider) : null,
        completionDate: date.iso,
        credits: parseCredits([creditWord])!.value as number,
        creditType: creditTypeOfCell(
          cellText(line.words.slice(date.start + date.length).filter((w) => w !== creditWord)),
        ),
      });
      creditWords.push(creditWord);
      const row: TableRow = {
        cells: {
          title: [...(segs[0] ?? [])],
          date: line.words.slice(date.start, date.start + date.length),
          credits: [creditWord],
        },
        lines: [line],
        valid: true,
      };
      rows.push(row);
      current = { title: row.cells.title!, row };
      dateX = line.words[date.start]?.x0 ?? 1;
      last = line;
    } else if (
      current &&
      last &&
      line.page === last.page &&
      !date &&
      line.y0 - last.y1 < (line.y1 - line.y0) * 1.2 &&
      !/total/i.test(line.text)
    ) {
      current.title.push(...line.words.filter((w) => w.x0 < dateX - 0.01));
      last = line;
    } else {
      finish();
      current = null;
    }
  }
  finish();
  return { activities, rows, creditWords };
}

const ORGANISATION =
  /^(society|association|college|university|hospital|institute|education|educators|medical|medicine|foundation|network|center|centre|group|academy|department|office|board|consortium|council|health|healthcare|clinic|services|learning|school|system|systems|partners|cme|ce|continuing|american|national|forum|collaborative|transcript|report|record|credits?|hours|activity|course|program|physicians|tracker|history)$/i;

/** A person's name: parsed as one, and not the name of an organisation or an activity. */
function parsePerson(words: Word[]) {
  const p = parseName(words);
  if (!p || p.words.some((w) => ORGANISATION.test(w.text.replace(/[^A-Za-z]/g, '')))) return null;
  return p;
}

/** A degree, or degrees joined by a hyphen ("APRN-CNP"). */
const degreeWord = (t: string) => isDegree(t) || (t.includes('-') && t.split('-').every((p) => p && isDegree(p)));

/**
 * Names after a label, read across the gap OCR or a layout puts inside a name
 * ("Physician: SMITH-JONES, | CLAIRE D DO"): the label's segment and the segments that follow
 * it closely, without specks.
 */
function labelledNames(lines: Line[]): Found[] {
  const found: Found[] = [];
  for (const hit of findLabels(lines, NAME_LABELS)) {
    const words = hit.rest.filter((w) => !isSpeckWord(w));
    let end = (words[words.length - 1] ?? hit.labelWords[hit.labelWords.length - 1])?.x1 ?? 0;
    const h = hit.line.y1 - hit.line.y0;
    for (const seg of hit.line.segments.slice(hit.segmentIndex + 1)) {
      const clean = seg.filter((w) => !isSpeckWord(w));
      if (!clean.length) continue;
      if (clean[0]!.x0 - end > 3 * h) break;
      words.push(...clean);
      end = clean[clean.length - 1]!.x1;
    }
    const p = words.length ? parsePerson(words) : null;
    if (p) found.push({ ...p, method: 'label-inline', labelStrength: hit.strength });
  }
  return found;
}

/**
 * The learner: by a label outside the table ("Learner:", "Physician:", "Member:"), or a line
 * of its own above the table that reads as a person's name with a degree or in LAST, FIRST
 * order ("Ahmed R. Patel, DNP, APRN").
 */
function participantName(ctx: DocContext, outside: Line[], table: Table | null, rows: CmeActivity[]): Found | null {
  const known = new Set(rows.flatMap((r) => [r.title, r.provider ?? '']).map((t) => t.toUpperCase()));
  const labelled = [...labelledNames(outside), ...searchByLabel(outside, NAME_LABELS, parsePerson)].filter(
    (f) => !known.has(String(f.value).toUpperCase()),
  );
  const byLabel = best(labelled);
  if (byLabel) return byLabel;
  const headerLine = table ? ctx.lines.find((l) => table.lines.has(l)) : undefined;
  for (const line of outside) {
    if (headerLine && (line.page !== headerLine.page || line.y0 >= headerLine.y0)) continue;
    const words = line.words.filter((w) => !isSpeckWord(w));
    const segments = line.segments.filter((s) => s.some((w) => !isSpeckWord(w)));
    if (segments.length !== 1 || !words.length || words.length > 8) continue;
    const p = parsePerson(words.map((w) => (degreeWord(w.text.replace(/[,.]$/, '')) ? { ...w, text: 'MD' } : w)));
    if (!p || p.words.length + words.filter((w) => degreeWord(w.text.replace(/[,.]$/, ''))).length < words.length)
      continue;
    const degree = words.some(
      (w, k) => k > 0 && degreeWord(w.text.replace(/[,.]$/, '')) && /,$/.test(words[k - 1]!.text),
    );
    const lastFirst = /^[A-Z][A-Za-z'-]+,$/.test(words[0]!.text);
    if (degree || lastFirst)
      return { ...p, words: p.words.filter((w) => words.includes(w)), method: 'pattern', labelStrength: 0.75 };
  }
  return null;
}

const near = (a: number, b: number) => Math.abs(a - b) < 0.001;

/** Tokens of a heading or label, for telling "Total Contact Hours" from "Total Pharmacology Hours". */
const tokens = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length >= 3);

/**
 * The printed total for the credits column: of the totals under the table, the one standing in
 * the credits column, or labelled like its heading and unlike another column's, or equal to
 * the sum of the rows.
 */
function printedTotal(table: Table, sum: number | null): Found | null {
  const credits = table.columns.find((c) => c.key === 'credits');
  const creditWords = tokens(credits?.header ?? '');
  const otherWords = table.columns
    .filter((c) => c.key !== 'credits')
    .flatMap((c) => tokens(c.header))
    .filter((t) => !creditWords.includes(t));
  const like = (label: string[], heads: string[]) =>
    label.some((t) => heads.some((h) => t.startsWith(h) || h.startsWith(t)));
  let top: { score: number; found: Found } | null = null;
  for (const t of table.totals) {
    const label = tokens(cellText(t.label));
    for (const v of t.values) {
      let score = 0;
      if (v.key === 'credits') score += 2;
      else if (v.key !== null) score -= 2;
      if (like(label, creditWords)) score += 1;
      if (like(label, otherWords)) score -= 5;
      if (sum !== null && near(v.value, sum)) score += 4;
      if (!top || score > top.score)
        top = {
          score,
          found: { value: v.value, method: 'label-inline', labelStrength: 1, words: [...t.label, v.word] },
        };
    }
  }
  return top && top.score > -3 ? top.found : null;
}

const sumOf = (list: CmeActivity[]) =>
  list.length ? Math.round(list.reduce((s, a) => s + (a.credits ?? 0), 0) * 100) / 100 : null;

/**
 * OCR drops a figure's decimal point ("2.5" read "25", "15.5" read "155"), and the rows then add
 * up to more than the printed total. Whole figures ending in 5 are where a lost point hides
 * (halves and quarters: 2.5, 1.25): they are read with the point put back only when the rows then
 * add up to the printed total exactly, all of them or exactly one of them. Returns whether any
 * figure changed.
 */
export function restorePoints(list: CmeActivity[], total: number): boolean {
  const sum = sumOf(list) ?? 0;
  if (sum <= total + 0.001) return false;
  const alt = (v: number) => ((v >= 100 && v % 100 === 25) || (v >= 100 && v % 100 === 75) ? v / 100 : v / 10);
  const suspects = list.filter(
    (a) => a.credits !== null && Number.isInteger(a.credits) && a.credits >= 15 && a.credits % 10 === 5,
  );
  if (!suspects.length) return false;
  const without = (chosen: CmeActivity[]) => sum - chosen.reduce((s, a) => s + a.credits! - alt(a.credits!), 0);
  let chosen: CmeActivity[] | null = near(without(suspects), total) ? suspects : null;
  if (!chosen) {
    const singles = suspects.filter((a) => near(without([a]), total));
    chosen = singles.length === 1 ? singles : null;
  }
  if (!chosen) return false;
  for (const a of chosen) a.credits = alt(a.credits!);
  return true;
}

/**
 * Figures that stayed open (an unread glyph, a digit off the column's grid) settled by the
 * printed total: the one choice of values with which the rows add up to it.
 */
function settleOpenFigures(parsed: Rows, table: Table, outside: Line[]): void {
  const open = parsed.open ?? [];
  const scored = (a: CmeActivity) => a.completionDate !== null && a.title !== '';
  const idx = open.map((o, i) => (o && scored(parsed.activities[i]!) ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) return;
  const printed = printedTotal(table, null) ?? best(searchByLabel(outside, TOTAL_LABELS, parseCredits));
  if (!printed) return;
  const known = parsed.activities.reduce((s, a, i) => s + (scored(a) && !idx.includes(i) ? (a.credits ?? 0) : 0), 0);
  const pick = settleByTotal(
    known,
    idx.map((i) => open[i]!),
    printed.value as number,
  );
  if (pick) idx.forEach((i, k) => (parsed.activities[i]!.credits = pick[k]!));
}

export function extractCmeTranscript(ctx: DocContext): FieldMap {
  const table = readTable(ctx.lines, TRANSCRIPT_SPEC);
  const outside = table ? ctx.lines.filter((l) => !table.lines.has(l)) : ctx.lines;
  let parsed = table ? activitiesOf(table, outside) : null;
  let method: Found['method'] = 'table';
  if (!parsed?.activities.length) {
    parsed = headerlessRows(ctx.lines);
    method = 'pattern';
  }
  if (table && method === 'table') settleOpenFigures(parsed, table, outside);
  // A row without a date or a figure is not an activity the spec can score; keep the rest.
  const keep = parsed.activities.map((a) => a.completionDate !== null && a.credits !== null && a.title !== '');
  const list = parsed.activities.filter((_, i) => keep[i]);
  const words = ctx.lines.flatMap((l) => l.words);
  if (words.some((w) => w.conf < 0.999)) {
    // Titles repeat their words from row to row: a word misread in one is read clearly in another.
    const vocab = documentVocabulary(words);
    const clear = new Set(
      words.filter((w) => w.conf >= 0.9 && /^[A-Za-z]{2,}$/.test(w.text)).map((w) => w.text.toLowerCase()),
    );
    for (const a of list)
      a.title = mendSequenceNumerals(mendShortWords(splitGluedWords(mendText(a.title, vocab), clear), clear));
  }
  const rows = parsed.rows.filter((_, i) => keep[i]);
  const creditWords = parsed.creditWords.filter((w, i): w is Word => keep[i] === true && w !== null);
  let sum = sumOf(list);

  let activities: Found | null = null;
  const broken = table && method === 'table' ? table.rows.length - rows.length : 0;
  if (list.length) {
    const page = rows[0]!.lines[0]!.page;
    const words = rows.flatMap((r) => Object.values(r.cells).flat()).filter((w) => w.page === page);
    // Unsure of the row set: rows that did not read, lines that joined no row.
    let strength = 0.9;
    if (broken > 0) strength *= 0.5;
    if (table && method === 'table' && table.stray > 0) strength *= 0.8;
    // Rows read only after undoing a misreading (a glyph dropped, a digit changed).
    if (parsed.repaired) strength *= 0.75;
    activities = { value: list, method, labelStrength: strength, words };
  }

  const printed = (table && printedTotal(table, sum)) ?? best(searchByLabel(outside, TOTAL_LABELS, parseCredits));
  if (printed && sum !== null && words.some((w) => w.conf < 0.999) && restorePoints(list, printed.value as number))
    sum = sumOf(list);
  let totalCredits: Found | null = printed;
  if (!printed && activities && sum !== null) {
    // A sum is only as good as every figure in it (and the row count): its confidence comes
    // from the least sure figure; over OCR-read rows one missed or extra row makes it wrong.
    const ocrRows = activities.words.some((w) => w.conf < 0.999);
    const unsure = broken > 0 || (table?.stray ?? 0) > 0 || method !== 'table' || (parsed.repaired ?? 0) > 0;
    totalCredits = {
      value: sum,
      method: 'derived',
      labelStrength: (ocrRows ? 0.3 : 0.8) * (unsure ? 0.5 : 1),
      words: creditWords.length ? creditWords : activities.words.slice(0, 1),
    };
  } else if (printed && activities && sum !== null && !near(printed.value as number, sum)) {
    // A printed total that disagrees with the rows: one of them was misread.
    totalCredits = { ...printed, labelStrength: printed.labelStrength * 0.7 };
    activities = { ...activities, labelStrength: activities.labelStrength * 0.6 };
  }
  return {
    participantName: participantName(ctx, outside, table, list),
    activities,
    totalCredits,
    npi: npi(ctx),
  };
}
