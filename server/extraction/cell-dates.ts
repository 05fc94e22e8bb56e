/**
 * Dates in a table's date column, read from a scan. The column is known to hold one date per
 * row, so misreadings that would be too loose for free text can be undone there:
 * - a rule or speck at the cell's edge read as a glyph before the date ("S11-Jul-2025",
 *   "G2/10/24", "|3-Aug-2025" read "73-Aug-2025");
 * - a digit read as its look-alike letter ("S-May-2023" for 5-May) or 0 read as 8 ("86/19/22");
 * - a month with a letter too many ("8-Mayv-2024");
 * - one date split in two words ("02-1 1-2022"), or its slashes read as ones ("21412023");
 * Every repaired reading is marked so its row is less sure; a repair is taken only when all the
 * repairs that read give the same date.
 */
import { findDates } from './dates';
import type { Word } from './types';

export interface CellDate {
  iso: string;
  /** The date was read only after undoing an OCR misreading. */
  repaired: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Letters tesseract reads for digits. */
const DIGIT_OF: Record<string, string> = {
  S: '5',
  s: '5',
  '§': '5',
  O: '0',
  o: '0',
  l: '1',
  I: '1',
  '|': '1',
  B: '8',
  Z: '2',
};

const DATE_SHAPE = /^[^\d]{0,2}[\dA-Za-z§|]{1,4}([/.-])[\dA-Za-z§|]{1,9}\1[\dA-Za-z§|]{2,4}[^\dA-Za-z]{0,2}$/;

const plain = (text: string) => findDates([text])[0]?.iso ?? null;

/** The numeric parts of a token shaped like a date, each misreading undone in turn. */
function variants(token: string): string[] {
  const out = new Set<string>();
  const t = token.replace(/^[^\dA-Za-z§|]+|[^\dA-Za-z]+$/g, '');
  const m = /^(.*?)([/.-])(.*)\2(.*)$/.exec(t);
  if (!m) return [];
  const [, a = '', sep = '-', b = '', c = ''] = m;
  const join = (x: string, y: string, z: string) => `${x}${sep}${y}${sep}${z}`;
  const numeric = (p: string) => p.replace(/[SsOolIB|Z§]/g, (ch) => DIGIT_OF[ch] ?? ch);
  // Edge glyphs before the first part: dropped, or read as the digit they look like.
  const firsts = new Set([a, a.replace(/^[^\d]+(?=\d)/, ''), numeric(a)]);
  if (/^\d{2}$/.test(a)) firsts.add(a.slice(1));
  if (/8/.test(a)) firsts.add(a.replace(/8/, '0'));
  const mids = new Set([b, numeric(b)]);
  if (/^[A-Za-z]{4}$/.test(b))
    for (let k = 0; k < 4; k++) {
      const shorter = (b.slice(0, k) + b.slice(k + 1)).toLowerCase();
      if (MONTHS.includes(shorter)) mids.add(shorter);
    }
  if (/^\d{2}$/.test(b) && /8/.test(b)) mids.add(b.replace(/8/, '0'));
  // A year with a zero read as a look-alike ("2624", "2823"): out of range, so read with the zero.
  const years = new Set([numeric(c)]);
  if (/^2\d{3}$/.test(numeric(c))) years.add(`2${numeric(c)[1]!.replace(/[3689]/, '0')}${numeric(c).slice(2)}`);
  for (const x of firsts) for (const y of mids) for (const z of years) out.add(join(x, y, z));
  return [...out];
}

/** The date a token reads as once its misreadings are undone, when every repair that reads agrees. */
function repairedDate(token: string): string | null {
  if (!DATE_SHAPE.test(token)) return null;
  const dates = new Set(
    variants(token)
      .map(plain)
      .filter((d): d is string => d !== null),
  );
  return dates.size === 1 ? [...dates][0]! : null;
}

/** A numeric date whose slashes OCR read as ones ("21412023" for 2/4/2023): the one reading that is a date. */
function slashesAsOnes(token: string): string | null {
  const t = token.replace(/[^\d]+$/, '');
  if (!/^\d{6,10}$/.test(t) || t[t.length - 5] !== '1') return null;
  const head = t.slice(0, -5);
  const dates = new Set<string>();
  for (let k = 1; k <= 2 && k < head.length - 1; k++) {
    if (head[k] !== '1') continue;
    const iso = plain(`${head.slice(0, k)}/${head.slice(k + 1)}/${t.slice(-4)}`);
    if (iso) dates.add(iso);
  }
  return dates.size === 1 ? [...dates][0]! : null;
}

/** A cell's date: read as printed, or with a misreading undone (then marked repaired). */
export function readCellDate(words: Word[]): CellDate | null {
  const texts = words.map((w) => w.text);
  const found = findDates(texts).pop();
  if (found) return { iso: found.iso, repaired: found.repaired === true };
  for (const t of texts) {
    const iso = repairedDate(t) ?? slashesAsOnes(t);
    if (iso) return { iso, repaired: true };
  }
  // A date split in two words by a gap OCR saw inside it.
  for (let k = 0; k + 1 < words.length; k++) {
    const a = words[k]!;
    const b = words[k + 1]!;
    if (b.x0 - a.x1 > (a.y1 - a.y0) * 0.8) continue;
    const glued = a.text + b.text;
    const iso = plain(glued) ?? repairedDate(glued);
    if (iso) return { iso, repaired: true };
  }
  return null;
}

const EDGE_GLYPH = /^[1lI|7[(!S]/;

/**
 * A date cell's word that starts left of the column's common left edge by about a character,
 * with a glyph a rule or speck reads as ("19-Jul-2025" where 9-Jul is printed and the cell's
 * rule was read as "1"): the date without that glyph. Null when the word is not such a case.
 */
export function dateWithoutLeftGlyph(word: Word, leftEdge: number): CellDate | null {
  const charWidth = (word.x1 - word.x0) / Math.max(1, word.text.length);
  if (leftEdge - word.x0 < charWidth * 0.6 || !EDGE_GLYPH.test(word.text)) return null;
  const iso = plain(word.text.slice(1));
  return iso ? { iso, repaired: true } : null;
}

/** The left edge most of a column's dates share (left-aligned cells), or null when they do not. */
export function commonLeftEdge(words: Word[]): number | null {
  if (words.length < 4) return null;
  const xs = words.map((w) => w.x0).sort((a, b) => a - b);
  const mid = xs[Math.floor(xs.length / 2)]!;
  const near = xs.filter((x) => Math.abs(x - mid) <= 0.002).length;
  return near >= words.length * 0.6 ? mid : null;
}
