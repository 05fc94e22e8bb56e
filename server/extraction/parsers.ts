/**
 * Value parsers: each takes the words found where a value should be and returns the
 * normalised value plus the words it used (for the bbox), or null when they do not fit.
 */
import type { CreditType } from '../../common/extraction';
import { findDates } from './dates';
import type { Parsed } from './field-search';
import { isDegree, isHonorific, isPlausiblePersonName, naturalName } from './names';
import type { Word } from './types';
import { findStateName, isStateCode } from './us-states';
import { deaCheckDigitOk } from './validate';

// Curly quotes too: OCR reads specks beside a cell's text as “ or ’.
const strip = (t: string) => t.replace(/^[([{"'“”‘’.,:;#]+|[)\]}"'“”‘’.,:;]+$/g, '');

export function parseDate(words: Word[]): Parsed | null {
  const m = findDates(words.map((w) => w.text))[0];
  if (!m || m.start > 2) return null;
  const used = words.slice(m.start, m.start + m.length);
  // A repaired month is a guess: its confidence says so.
  return { value: m.iso, words: m.repaired ? used.map((w) => ({ ...w, conf: Math.min(w.conf, 0.7) })) : used };
}

/** Two dates "01/01/2025 through 12/31/2026": the second. */
export function parsePeriodEnd(words: Word[]): Parsed | null {
  const ds = findDates(words.map((w) => w.text));
  if (ds.length < 2) return null;
  const m = ds[1]!;
  return { value: m.iso, words: words.slice(m.start, m.start + m.length) };
}

const TO_LETTER: Record<string, string> = { '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B' };
/** Digits a letter OCR read among digits may stand for. */
const DIGITS_OF: Record<string, string[]> = {
  B: ['8', '6'],
  G: ['6'],
  S: ['5'],
  O: ['0'],
  Q: ['0'],
  D: ['0'],
  I: ['1'],
  L: ['1'],
  Z: ['2'],
  T: ['7'],
};

/** Every all-digit reading of a token (at most a few letters, so a few readings). */
function digitReadings(t: string): string[] {
  let out = [''];
  for (const c of t) {
    const options = /\d/.test(c) ? [c] : (DIGITS_OF[c] ?? [c]);
    out = out.flatMap((o) => options.map((d) => o + d));
    if (out.length > 64) return [];
  }
  return out;
}

/**
 * DEA numbers, with OCR's letter/digit confusions undone by position (2 letters then 7
 * digits). A repaired number is kept only when its check digit then passes.
 */
export function parseDea(words: Word[]): Parsed | null {
  for (const w of words.slice(0, 3)) {
    const printed = strip(w.text)
      .toUpperCase()
      .replace(/-[A-Z0-9]+$/, '');
    if (/^[A-Z][A-Z9]\d{7}$/.test(printed)) return { value: printed, words: [w] };
    // A speck OCR read inside the number ("F]J5910787") is no character of it.
    const t = w.conf < 1 ? printed.replace(/[^A-Z0-9]/g, '') : printed;
    if (w.conf < 1 && t.length === 9) {
      const prefix = t
        .slice(0, 2)
        .split('')
        .map((c, i) => (i === 1 && c === '9' ? c : (TO_LETTER[c] ?? c)))
        .join('');
      // Letters read inside the digits may stand for more than one digit (B: 8 or 6): the check
      // digit picks, and only when exactly one reading passes it.
      const passing = digitReadings(t.slice(2))
        .map((d) => prefix + d)
        .filter((c) => /^[A-Z][A-Z9]\d{7}$/.test(c) && deaCheckDigitOk(c));
      if (passing.length === 1) return { value: passing[0]!, words: [{ ...w, conf: Math.min(w.conf, 0.85) }] };
    }
  }
  return null;
}

export function parseNpi(words: Word[]): Parsed | null {
  for (const w of words.slice(0, 2)) {
    const t = strip(w.text);
    if (/^\d{10}$/.test(t)) return { value: t, words: [w] };
  }
  return null;
}

const NAME_STOP =
  /^(member|license|licen[cs]e[ed]?|number|no\.?|date|expires?|expiration|issued|address|npi|dea|state|status|type|registration|is|has|for|in|of|the|and|to|on|at|credits?|hours?|certificate|board|physician|surgeon|medicine|program|activity)$/i;

/** A person's name from the words after a label (stops at the next label-like word). */
export function parseName(words: Word[]): Parsed | null {
  const used: Word[] = [];
  // In a name printed in capitals, an unsure lowercase scrap ("Co", "i") is a speck, not a name part.
  const capitals = words.filter((w) => /^[A-Z][A-Z.,'-]+$/.test(w.text)).length >= 2;
  // A lone lowercase letter in such a name is a speck however it scored ("FATIMA E i TORRES").
  const scrap = (w: Word) =>
    capitals &&
    ((w.conf < 0.6 && (/^[a-z.,]+$/.test(w.text) || /^[A-Z]?[a-z]{1,2}[.,]?$/.test(w.text))) ||
      (w.conf < 0.999 && /^[a-z]$/.test(w.text)));
  // A table's left rule, read as "I", "|" or "t" with a low score, is not the first initial.
  const start = words.findIndex((w) => !((/^[Il|!a-z]$/.test(w.text) && w.conf < 0.6) || scrap(w)));
  for (const w of words.slice(Math.max(0, start))) {
    if (
      capitals &&
      used.length &&
      ((w.conf < 0.6 && /[a-z]/.test(w.text) && w.text.replace(/[^A-Za-z]/g, '').length <= 2) || scrap(w))
    )
      continue;
    const t = w.text;
    if (NAME_STOP.test(strip(t)) && used.length > 0) break;
    if (/\d/.test(t) || /[:@#]/.test(t.slice(0, -1)) || t.startsWith('#')) break;
    used.push(w);
    if (t.endsWith(':')) return null;
    if (used.length >= 7) break;
  }
  while (used.length && isDegree(used[used.length - 1]!.text)) used.pop();
  if (used.length < 2) return null;
  const texts = used.map((w) => w.text);
  // OCR reads the comma of "HOWARD, CATHERINE" as a full stop: a read first word of three or
  // more letters that ends in one (not an initial, not "Mrs.") is the surname.
  const first = texts[0]!;
  if (
    used[0]!.conf < 0.999 &&
    /^[A-Za-z'-]{3,}\.$/.test(first) &&
    !isHonorific(first) &&
    !isDegree(first) &&
    !texts.slice(1).some((t, i) => t.slice(0, i === texts.length - 2 ? -1 : undefined).includes(','))
  )
    texts[0] = `${first.slice(0, -1)},`;
  const name = naturalName(texts.join(' '));
  return name && isPlausiblePersonName(name) ? { value: name, words: used } : null;
}

/** License / registration numbers: one token with at least 3 digits, uppercase, as printed. */
export function parseIdentifier(all: Word[]): Parsed | null {
  // An unsure speck before the number ("1(18) 47102") is not its first token.
  const words = all.slice(all.findIndex((w) => !edgeSpeck(w) || w === all[all.length - 1]));
  for (const [i, w] of words.slice(0, 3).entries()) {
    let t = strip(w.text).toUpperCase();
    let used = [w];
    const next = words[i + 1];
    // "ME 123456" / "A 12345" / "20A 1256": a short prefix with letters printed apart from its digits.
    if (
      /^(?=[0-9]*[A-Z])[A-Z0-9]{1,4}$/.test(t) &&
      next &&
      /^\d{4,}$/.test(strip(next.text)) &&
      !['NO', 'NUM', 'ID', 'IS', 'LIC'].includes(t)
    ) {
      t += strip(next.text);
      used = [w, next];
    }
    if (/^#/.test(w.text)) t = t.replace(/^#/, '');
    // A speck OCR read inside a number ("336.02353¢9"): one stray mark between digits is dropped, unsure.
    const speck = /^([A-Z0-9.\-/]*\d)[^A-Z0-9.\-/](\d[A-Z0-9.\-/]*)$/.exec(t);
    if (speck && w.conf < 0.999) {
      t = speck[1]! + speck[2]!;
      used = used.map((u) => ({ ...u, conf: Math.min(u.conf, 0.5) }));
    }
    if (
      /^[A-Z0-9][A-Z0-9.\-/]*$/.test(t) &&
      (t.match(/\d/g) ?? []).length >= 3 &&
      !/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(t)
    ) {
      // Read by OCR, a digit before letters ("0S50566") may be the letter it resembles (O, I, S, B):
      // unsure. A 0 there is read as O: identifiers open with a letter prefix ("OS", "OP"), and
      // a 0 and an O print alike, where 1/I, 5/S and 8/B do not quite.
      if (w.conf < 0.999 && /^[0158][A-Z]/.test(t)) {
        used = used.map((u) => ({ ...u, conf: Math.min(u.conf, 0.6) }));
        t = t.replace(/^0(?=[A-Z])/, 'O');
      }
      return { value: t, words: used };
    }
    if (!/^(no|number|#|lic|license|reg|registration|id)[.:#]*$/i.test(t)) break;
  }
  return null;
}

const ROMAN: Record<string, string> = { I: '1', II: '2', IIN: '2N', III: '3', IIIN: '3N', IV: '4', V: '5' };
const ARABIC = new Set(['1', '2', '2N', '3', '3N', '4', '5']);
const ORDER = ['1', '2', '2N', '3', '3N', '4', '5'];

/**
 * A Roman numeral OCR read with a T, L or 1 for one of its strokes ("IT" for II, "IlIN" for
 * IIIN): read as the numeral when the token also holds a clear I or V.
 */
function misreadRoman(token: string): string | undefined {
  if (!/[IV]/.test(token) || !/[TL1]/.test(token)) return undefined;
  return ROMAN[token.replace(/[TL1]/g, 'I')];
}

const CHECK_MARK = /^(X|x|✓|✔|☒|☑|■|\[X\]|\[x\])$/;

/** Schedules printed as `2,2N,3,3N,4,5`, `2 2N 3 3N 4 5` or `II, IIN, III, IIIN, IV, V`. */
export function parseSchedules(all: Word[]): Parsed | null {
  const used: Word[] = [];
  const out = new Set<string>();
  // A row of check boxes ("X 2   2N   X 3"): where any box is marked, only the marked ones count.
  const marked = all.some((w) => CHECK_MARK.test(w.text));
  const words = marked
    ? all.filter((w, i) => !CHECK_MARK.test(w.text) && i > 0 && CHECK_MARK.test(all[i - 1]!.text))
    : all;
  for (const [i, w] of words.entries()) {
    // A lone character OCR read before a list whose items are set apart by commas ("1 2,2N,3")
    // is the edge of its box: the list's own items carry its commas.
    if (!used.length && w.text.length === 1 && w.conf < 0.999 && /\d,/.test(words[i + 1]?.text ?? '')) continue;
    // Read by OCR, a list of schedules (which hold no 0) may have its commas read as 0 or O, its
    // 5 as S and a 4 after a schedule as A: "202N.33N4s" and "2.2N.3.3NAS" are 2, 2N, 3, 3N, 4, 5.
    const read =
      w.conf < 0.999 && /\d/.test(w.text)
        ? w.text
            .replace(/(?<=\d[Nn]?)A(?=[sS5]?$)/g, '4')
            .replace(/(?<=\d)[sS]|[sS](?=\d)/g, '5')
            .replace(/(?<=[\dNn])[oO0](?=\d)/g, ',')
        : w.text;
    const upper = read.toUpperCase();
    // OCR can drop the commas: "2N3N45" is still 2N, 3N, 4, 5; it also reads some as full
    // stops ("33N4.5") and the N after a digit as M ("22M").
    const split = upper
      .split(/[,;/.]+/)
      .map((p) => p.replace(/[^0-9A-Z]/g, ''))
      .filter(Boolean);
    const digits = upper.replace(/(?<=[1-5])M/g, 'N').replace(/[^0-9N]/g, '');
    const gluedOnly = /^([1-5]N?){2,}$/.test(digits) && !/[A-MO-Z]/.test(upper.replace(/(?<=[1-5])M/g, 'N'));
    const glued =
      gluedOnly && (!/[,;/.\s]/.test(upper) || split.some((p) => !ARABIC.has(p) && !ROMAN[p]))
        ? (digits.match(/[1-5]N?/g) ?? [])
        : null;
    const parts = glued ?? split;
    if (!parts.length) continue;
    const mapped = parts.map((p) => (ARABIC.has(p) ? p : (ROMAN[p] ?? (w.conf < 0.999 ? misreadRoman(p) : undefined))));
    if (mapped.some((m) => !m)) {
      // A lone "I" read by OCR right before prose is the edge of a box or rule ("| BUSINESS
      // ACTIVITY"), not schedule I.
      if (used.length === 1 && out.size === 1 && used[0]!.text.length === 1 && used[0]!.conf < 0.999) return null;
      // Only a sub-label ("Practitioner:") or a lone mark may stand before the list; prose may not.
      if (used.length || !(/:$/.test(w.text) || w.text.length <= 1)) break;
      continue;
    }
    mapped.forEach((m) => out.add(m as string));
    used.push(w);
  }
  if (!out.size) return null;
  return { value: ORDER.filter((s) => out.has(s)), words: used };
}

export function parseStateCode(words: Word[]): Parsed | null {
  const t = strip(words[0]?.text ?? '').toUpperCase();
  if (isStateCode(t) && words[0]) return { value: t, words: [words[0]] };
  const named = findStateName(words.map((w) => w.text.toUpperCase()).join(' '));
  if (named && named.index === 0) return { value: named.code, words: words.slice(0, named.name.split(' ').length) };
  return null;
}

/** An unsure OCR scrap of one or two characters ("Co", "Ii"): a speck at the edge of a text value. */
const edgeSpeck = (w: Word) => w.conf < 0.6 && w.text.replace(/[^A-Za-z0-9]/g, '').length <= 2;

/** The words without unsure specks at either end. */
export function trimEdgeSpecks(words: Word[]): Word[] {
  const used = [...words];
  while (used.length > 1 && edgeSpeck(used[0]!)) used.shift();
  while (used.length > 1 && edgeSpeck(used[used.length - 1]!)) used.pop();
  return used;
}

/** Free text to the end of the segment (titles, providers, business activity), without specks at its ends. */
export function parseText(words: Word[]): Parsed | null {
  const used = trimEdgeSpecks(words.filter((w) => w.text.trim()));
  const text = used
    .map((w) => w.text)
    .join(' ')
    .replace(/^[:\-–]\s*/, '')
    .trim();
  if (!/[A-Za-z]{2}/.test(text)) return null;
  return { value: text, words: used };
}

export function parseCredits(words: Word[]): Parsed | null {
  for (const w of words.slice(0, 3)) {
    const t = strip(w.text);
    if (/^\d{1,3}(\.\d{1,2})?$/.test(t)) {
      const v = Number(t);
      if (v > 0 && v <= 500) return { value: v, words: [w] };
    }
  }
  return null;
}

const LICENSE_TYPES: [RegExp, string][] = [
  // OCR reads the round O as Q or 0 and drops a thin t: "QSTEQPATHIC", "Oseopathic".
  [/[oq0]st?e?[oq0]path/i, 'DO'],
  [/\bD\.?O\.?(?![A-Za-z])/, 'DO'],
  [/physician\s+and\s+surgeon|medical\s+doctor|doctor\s+of\s+medicine|allopathic|\bM\.?D\.?(?![A-Za-z])/i, 'MD'],
  [/physician\s+assistant|\bPA-?C?\b/i, 'PA'],
  [/nurse\s+practitioner|\bA?P?RN\b|\bNP\b/i, 'NP'],
];

export function licenseTypeOf(text: string): string | null {
  for (const [re, type] of LICENSE_TYPES) if (re.test(text)) return type;
  return null;
}

export function parseLicenseType(words: Word[]): Parsed | null {
  const text = words.map((w) => w.text).join(' ');
  const t = licenseTypeOf(text);
  return t ? { value: t, words } : null;
}

const STATUS_WORDS =
  /^(ACTIVE|CLEAR|INACTIVE|EXPIRED|SUSPENDED|REVOKED|LAPSED|PROBATION|CURRENT|DELINQUENT|RETIRED|VALID|SURRENDERED|CANCELLED|RESTRICTED|RENEWED|RENEWAL|PENDING|ENCUMBERED|UNRESTRICTED|GOOD|STANDING)$/;

/** Status as printed, qualifiers included ("ACTIVE - RENEWED", "RENEWED & CURRENT"), up to a date or the cell's end. */
export function parseStatus(words: Word[]): Parsed | null {
  const used: Word[] = [];
  // Boards also join two statuses with a slash ("CLEAR/ACTIVE"): each part must be a status word.
  const isStatus = (t: string) => t.split('/').every((p) => STATUS_WORDS.test(p));
  // Verification pages print it in title case ("Current"): the value is upper-cased, as printed otherwise.
  words = words.map((w) => ({ ...w, text: w.text.toUpperCase() }));
  for (const w of words.slice(0, 5)) {
    const t = strip(w.text);
    if (!/^([A-Z]+(\/[A-Z]+)*|[-–&])$/.test(t) || (/^[A-Z/]+$/.test(t) && !isStatus(t) && !['IN', 'OF'].includes(t)))
      break;
    used.push(w);
  }
  while (used.length && !/^[A-Z/]+$/.test(strip(used[used.length - 1]!.text))) used.pop();
  if (!used.length || !isStatus(strip(used[0]!.text).toUpperCase())) return null;
  return { value: used.map((w) => strip(w.text)).join(' '), words: used };
}

export function creditTypeOf(text: string): CreditType | null {
  const t = text.toUpperCase();
  if (/AMA\s+PRA\s+CATEGORY\s+2|CATEGORY\s+2\s+CREDIT/.test(t)) return 'AMA_PRA_2';
  if (/AMA\s+PRA\s+CATEGORY\s+1|AMA\s+PRA|CATEGORY\s+1\s+CREDIT/.test(t)) return 'AMA_PRA_1';
  if (/AOA\s+CATEGORY\s+1-?A/.test(t)) return 'AOA_1A';
  if (/AOA\s+CATEGORY\s+1-?B/.test(t)) return 'AOA_1B';
  if (/AOA\s+CATEGORY\s+2-?A/.test(t)) return 'AOA_2A';
  if (/AOA\s+CATEGORY\s+2-?B/.test(t)) return 'AOA_2B';
  // Whole words: "FAAFP" after a name is a fellowship, not AAFP credit.
  if (/\bAAFP\b|PRESCRIBED\s+CREDIT/.test(t)) return 'AAFP';
  if (/\bAAPA\b/.test(t)) return 'AAPA_1';
  if (/\bANCC\b|CONTACT\s+HOURS?|NURSING/.test(t)) return 'ANCC';
  return null;
}
