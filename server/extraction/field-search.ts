/**
 * Label-driven value search over positioned lines: a value printed after its label on the
 * same line segment, in the next segment of that line, or in the line(s) just below the label
 * (certificates and cards print "LICENSE NUMBER" above the number).
 */
import type { FieldScalar } from '../../common/extraction';
import { editDistanceWithin, oneEditApart } from './edit-distance';
import type { Found, Line, Word } from './types';

export interface LabelRule {
  re: RegExp;
  /** 0..1: how surely this label introduces this field. */
  strength: number;
}

export interface Parsed {
  value: FieldScalar;
  words: Word[];
}

export type Parser = (words: Word[]) => Parsed | null;

interface LabelHit {
  line: Line;
  lineIndex: number;
  segmentIndex: number;
  /** Words of the segment after the label. */
  rest: Word[];
  labelWords: Word[];
  strength: number;
}

/** Every place a label occurs, with the words that follow it in its segment. */
export function findLabels(lines: Line[], rules: LabelRule[]): LabelHit[] {
  const hits: LabelHit[] = [];
  lines.forEach((line, lineIndex) => {
    line.segments.forEach((segment, segmentIndex) => {
      const starts: number[] = [];
      const texts = segment.map(labelText);
      let text = '';
      for (const t of texts) {
        starts.push(text.length);
        text += `${t} `;
      }
      for (const rule of rules) {
        const m = labelMatch(rule.re, text, segment.length);
        if (!m) continue;
        const end = m.index + m[0].length;
        const firstIdx = starts.findIndex((s, i) => s + texts[i]!.length > m.index);
        const after = starts.findIndex((s) => s >= end);
        const labelWords = segment.slice(Math.max(0, firstIdx), after === -1 ? segment.length : after);
        const rest = after === -1 ? [] : segment.slice(after);
        // A label word glued to its value ("No.A12345"): keep the tail as a value word.
        const lastLabel = labelWords[labelWords.length - 1];
        const lastStart = lastLabel ? (starts[segment.indexOf(lastLabel)] ?? 0) : 0;
        const lastText = lastLabel ? (texts[segment.indexOf(lastLabel)] ?? '') : '';
        if (lastLabel && end > lastStart && end < lastStart + lastText.length) {
          const tail = lastText.slice(end - lastStart).replace(/^[:#.\s]+/, '');
          if (tail) rest.unshift({ ...lastLabel, text: tail });
        }
        hits.push({ line, lineIndex, segmentIndex, rest, labelWords, strength: rule.strength });
        break;
      }
    });
  });
  return hits;
}

/**
 * The first place the rule's label stands as a label: at the start of its segment, ending a short
 * header cell, or, inside prose, as a "Label:" that starts a sentence ("... approved. Date
 * issued: 10/13/2024. Expiration date: ..."). Never stopping inside a word ("NO" of "16-NOV-2026").
 */
function labelMatch(re: RegExp, text: string, segmentWords: number): RegExpExecArray | null {
  const global = globalOf(re);
  global.lastIndex = 0;
  for (let m = global.exec(text); m; m = global.exec(text)) {
    if (m[0].length === 0) {
      global.lastIndex++;
      continue;
    }
    const end = m.index + m[0].length;
    if (/[A-Za-z0-9]/.test(text.charAt(end - 1)) && /[A-Za-z0-9]/.test(text.charAt(end))) continue;
    const mark = m[0].trim().slice(-1);
    if (m.index <= 3) return m;
    if (segmentWords <= 6 && (text.slice(end).trim() === '' || mark === ':' || mark === '=')) return m;
    // Inside running text: a "Label:" that starts a sentence, or search criteria run on in one
    // line ("DEA Number = BH4765574 NPI = 1965194016").
    if ((mark === ':' && /[.;!?•|]\s*$/.test(text.slice(0, m.index))) || mark === '=') return m;
  }
  return null;
}

const globals = new WeakMap<RegExp, RegExp>();

/** The rule's pattern with the `g` flag, compiled once (labels are matched against every segment). */
export function globalOf(re: RegExp): RegExp {
  let g = globals.get(re);
  if (!g) {
    g = re.flags.includes('g') ? re : new RegExp(re.source, `${re.flags}g`);
    globals.set(re, g);
  }
  return g;
}

/** Words labels are made of, for reading labels OCR misread by one letter ("DATE ISSULD", "VALID THROLGH"). */
const LABEL_WORDS = [
  'ISSUE',
  'ISSUED',
  'EXPIRES',
  'EXPIRATION',
  'THROUGH',
  'NUMBER',
  'REGISTRATION',
  'LICENSE',
  'SCHEDULES',
  'EFFECTIVE',
  'ORIGINAL',
  'COMPLETION',
  'COMPLETED',
  'PARTICIPANT',
  'REGISTRANT',
  'LICENSEE',
  'ACTIVITY',
  'BUSINESS',
];
/** Real words one letter from a label word: never "corrected". */
const NOT_MISREADS = new Set([
  'ISSUES',
  'ISSUER',
  'LICENSED',
  'LICENSES',
  'NUMBERS',
  'EXPIRED',
  'EXPIRE',
  'COMPLETES',
  'TISSUE',
]);

/**
 * The text a word contributes to label matching: a word OCR was unsure of (below 0.8) that is
 * one letter away from exactly one label word (two for words of nine letters or more) reads as
 * that word, as does one whose first letter OCR read as a stroke. Sure words stay as read.
 */
export function labelText(w: Word): string {
  if (w.conf >= 0.999) return w.text;
  // A stroke OCR read as 1, l, | or [ before the letters of a label word is its I: "1SSUE" even
  // when read fairly surely, "lwsue" (a letter off as well) only when unsure.
  const stroke = /^([^A-Za-z0-9|[]*)[1l|[]([A-Za-z]{4,})([^A-Za-z]*)$/.exec(w.text);
  if (stroke) {
    const asI = `I${stroke[2]!.toUpperCase()}`;
    const word = LABEL_WORDS.includes(asI) ? asI : w.conf < 0.8 ? nearestLabelWord(asI) : null;
    if (word) return `${stroke[1]}${inCaseOf(stroke[2]!, word)}${stroke[3]}`;
  }
  const m = /^([^A-Za-z]*)([A-Za-z]{5,})([^A-Za-z]*)$/.exec(w.text);
  if (!m) return w.text;
  const core = m[2]!.toUpperCase();
  const apart = unglued(core);
  if (apart) return `${m[1]}${m[2] === core ? apart : apart.toLowerCase()}${m[3]}`;
  if (w.conf >= 0.8) return w.text;
  const word = nearestLabelWord(core);
  return word ? `${m[1]}${inCaseOf(m[2]!, word)}${m[3]}` : w.text;
}

/** The one label word `core` is a misreading of: one letter away (two for nine letters or more), or null. */
function nearestLabelWord(core: string): string | null {
  if (LABEL_WORDS.includes(core) || NOT_MISREADS.has(core)) return null;
  let close = LABEL_WORDS.filter((l) => oneEditApart(core, l));
  // A long label word survives two misread letters and stays unlike any other ("SCMEOULES").
  if (!close.length && core.length >= 9) close = LABEL_WORDS.filter((l) => editDistanceWithin(core, l, 2) <= 2);
  return close.length === 1 ? close[0]! : null;
}

/** `word` (capitals) in the case the page printed `as`: capitals, or a capital and small letters. */
function inCaseOf(as: string, word: string): string {
  return as === as.toUpperCase() ? word : word.charAt(0) + word.slice(1).toLowerCase();
}

/** The first words of two-word labels that OCR glues to the next word ("Datelssued", "LICENSENUMBER"). */
const GLUED_HEADS = ['DATE', 'LICENSE', 'REGISTRATION', 'EXPIRATION', 'ISSUE'];

/** "DATELSSUED" -> "DATE ISSUED": a label head glued to a label word (read by one edit at most). */
function unglued(core: string): string | null {
  for (const head of GLUED_HEADS) {
    const tail = core.slice(head.length);
    if (!core.startsWith(head) || tail.length < 4) continue;
    const word =
      LABEL_WORDS.find((l) => l === tail || oneEditApart(tail, l)) ??
      (['DATE', 'NO'].includes(tail) ? tail : undefined);
    if (word) return `${head} ${word}`;
  }
  return null;
}

export interface SearchOptions {
  /** Look at the lines below the label (default true). */
  below?: boolean;
  /** How many lines below to try (default 2). */
  maxBelow?: number;
  /** Accept values in the next segment of the same line (default true). */
  nextSegment?: boolean;
  /** Below the label, hand the parser the segment under it and the rest of that line (a period "A   B"). */
  restOfLine?: boolean;
  /** Beside the label, hand the parser every later segment of the line too (a row of check boxes). */
  acrossSegments?: boolean;
}

/** Values reachable from each label occurrence, best first per occurrence. */
export function searchByLabel(lines: Line[], rules: LabelRule[], parse: Parser, opts: SearchOptions = {}): Found[] {
  const found: Found[] = [];
  for (const hit of findLabels(lines, rules)) {
    const beside = opts.acrossSegments
      ? [...hit.rest, ...hit.line.segments.slice(hit.segmentIndex + 1).flat()]
      : hit.rest;
    const inline = beside.length ? parse(beside) : null;
    if (inline) {
      found.push({ ...inline, method: 'label-inline', labelStrength: hit.strength });
      continue;
    }
    if (hit.rest.length === 0 && opts.nextSegment !== false) {
      const next = hit.line.segments[hit.segmentIndex + 1];
      const p = next ? parse(next) : null;
      if (p) {
        found.push({ ...p, method: 'label-inline', labelStrength: hit.strength * 0.97 });
        continue;
      }
    }
    const offset = hit.rest.length === 0 ? besideOffset(lines, hit, parse) : null;
    if (offset) {
      found.push({ ...offset, method: 'label-inline', labelStrength: hit.strength * 0.95 });
      continue;
    }
    if (opts.below === false) continue;
    // The whole header cell ("THIS REGISTRATION EXPIRES") heads the column; where the label stands
    // inside its cell, two headings may have run together ("Original Issue Date Expiration Date"):
    // then the label's own words head it first.
    const segment = hit.line.segments[hit.segmentIndex] ?? hit.labelWords;
    const first = hit.labelWords[0];
    const own = first && first !== segment[0] ? segment.slice(segment.indexOf(first)) : null;
    const below =
      (own && valueBelow(lines, hit, own, parse, opts.maxBelow ?? 2, opts.restOfLine ?? false)) ||
      valueBelow(lines, hit, segment, parse, opts.maxBelow ?? 2, opts.restOfLine ?? false);
    if (below) found.push({ ...below, method: 'label-below', labelStrength: hit.strength });
  }
  return found;
}

/**
 * A value printed beside its label but a little higher or lower (a label in another font, a
 * scan's uneven baseline), so that lines were grouped without it: a segment of the line just
 * above or below whose middle lies within the label's height, right of the label and before
 * the label line's next segment.
 */
function besideOffset(lines: Line[], hit: LabelHit, parse: Parser): Parsed | null {
  const label = hit.labelWords;
  if (!label.length) return null;
  const ly0 = Math.min(...label.map((w) => w.y0));
  const ly1 = Math.max(...label.map((w) => w.y1));
  const lx1 = Math.max(...label.map((w) => w.x1));
  const xEnd = hit.line.segments[hit.segmentIndex + 1]?.[0]?.x0 ?? 1;
  for (const j of [hit.lineIndex + 1, hit.lineIndex - 1]) {
    const line = lines[j];
    if (!line || line.page !== hit.line.page) continue;
    for (const segment of line.segments) {
      const first = segment[0]!;
      const middle = (Math.min(...segment.map((w) => w.y0)) + Math.max(...segment.map((w) => w.y1))) / 2;
      if (middle < ly0 || middle > ly1 || first.x0 < lx1 || first.x0 >= xEnd) continue;
      const p = parse(segment);
      if (p) return p;
    }
  }
  return null;
}

function valueBelow(
  lines: Line[],
  hit: LabelHit,
  cell: Word[],
  parse: Parser,
  maxBelow: number,
  restOfLine: boolean,
): Parsed | null {
  const lx0 = Math.min(...cell.map((w) => w.x0));
  const lx1 = Math.max(...cell.map((w) => w.x1));
  const lineHeight = hit.line.y1 - hit.line.y0;
  let tried = 0;
  for (let i = hit.lineIndex + 1; i < lines.length && tried < maxBelow; i++) {
    const line = lines[i]!;
    if (line.page !== hit.line.page) break;
    if (line.y0 - hit.line.y1 > lineHeight * 3.5) break;
    // Marks of single characters (rule ends, specks) between a label and its value hold no value.
    if (line.words.every((w) => w.conf < 0.999 && w.text.replace(/[^A-Za-z0-9]/g, '').length <= 1)) continue;
    // In a table the header cell's column runs to the next header cell: take the row's words
    // that start there, even where the row printed two columns without a gap.
    const nextCell = hit.line.segments[hit.segmentIndex + 1];
    const colEnd = nextCell ? (nextCell[0]?.x0 ?? 1) - 0.005 : 1;
    // By the word's centre: a cell border OCR glued to a word ("[CURRENT") widens it, and a
    // value of the next column may start a little left of its heading.
    const inColumn = (l: Line) => l.words.filter((w) => (w.x0 + w.x1) / 2 >= lx0 - 0.015 && (w.x0 + w.x1) / 2 < colEnd);
    const column = headerCells(hit.line) >= 3 ? inColumn(line) : [];
    if (column.length) {
      tried++;
      // A cell wrapped onto the next line ("MID-LEVEL" / "PRACTITIONER") continues the value.
      const next = lines[i + 1];
      const wrapped =
        next && next.page === line.page && next.y0 - line.y1 < (line.y1 - line.y0) * 0.8 ? inColumn(next) : [];
      const whole = wrapped.length ? parse([...column, ...wrapped]) : null;
      if (whole) return whole;
      const p = parse(column);
      // The cell goes on below in words that do not fit the value: it may be cut short.
      if (p && wrapped.length) return { ...p, words: p.words.map((w) => ({ ...w, conf: Math.min(w.conf, 0.6) })) };
      if (p) return p;
      continue;
    }
    // The segment under the label: overlapping its horizontal extent.
    const segment = line.segments.find((s) => {
      const sx0 = s[0]!.x0;
      const sx1 = s[s.length - 1]!.x1;
      return Math.min(sx1, lx1 + 0.02) - Math.max(sx0, lx0 - 0.02) > 0;
    });
    if (!segment) continue;
    tried++;
    const p = parse(restOfLine ? line.words.slice(line.words.indexOf(segment[0]!)) : segment);
    if (p) return p;
  }
  return null;
}

/**
 * The cells of a row that may head table columns: a scan's specks beside a heading ("IY Ts Fo",
 * "od": unsure scraps of two letters at most) head nothing.
 */
function headerCells(line: Line): number {
  return line.segments.filter((s) => !s.every((w) => w.conf < 0.8 && w.text.replace(/[^A-Za-z0-9]/g, '').length <= 2))
    .length;
}

/** Values matching a pattern anywhere (no label), for identifiers with a strict format. */
export function searchPattern(lines: Line[], parse: Parser): Found[] {
  const found: Found[] = [];
  for (const line of lines) {
    for (const segment of line.segments) {
      for (let i = 0; i < segment.length; i++) {
        const p = parse(segment.slice(i, i + 1));
        if (p) found.push({ ...p, method: 'pattern', labelStrength: 0.5 });
      }
    }
  }
  return found;
}

/** Highest (strength, method) first; ties keep document order. */
export function best(found: Found[]): Found | null {
  const rank = (f: Found) =>
    f.labelStrength + (f.method === 'label-inline' ? 0.02 : f.method === 'label-below' ? 0.01 : 0);
  let top: Found | null = null;
  for (const f of found) if (!top || rank(f) > rank(top)) top = f;
  return top;
}

export function wordsText(words: Word[]): string {
  return words.map((w) => w.text).join(' ');
}
