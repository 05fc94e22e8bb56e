/**
 * Person names as the matcher compares them: natural order, uppercase, without punctuation,
 * degrees, honorifics or generational suffixes. `SEHGAL, ASHOK K.`, `Ashok K. Sehgal, MD` and
 * `Dr. Ashok Sehgal` all parse to first ASHOK, last SEHGAL.
 */
import { isDegree, isHonorific, naturalName } from '../extraction/names';
import { sameGivenName } from './nicknames';

export interface PersonName {
  first: string;
  middles: string[];
  last: string;
  /** Every token, for order-free comparison. */
  tokens: string[];
}

const SUFFIXES = new Set(['JR', 'SR', 'II', 'III', 'IV']);

export function parsePersonName(raw: string | null | undefined): PersonName | null {
  if (!raw) return null;
  // Folder and file names use underscores for spaces ("Sehgal_Ashok").
  const spaced = raw.replace(/[_]+/g, ' ').trim();
  const natural = naturalName(spaced) ?? spaced;
  const tokens = natural
    .split(/\s+/)
    .filter((t) => t && !isDegree(t) && !isHonorific(t))
    .map((t) => t.toUpperCase().replace(/[^A-Z-]/g, ''))
    .filter((t) => t && !SUFFIXES.has(t));
  if (tokens.length < 2) return null;
  return { first: tokens[0]!, middles: tokens.slice(1, -1), last: tokens.at(-1)!, tokens };
}

/** Levenshtein distance, or `max + 1` as soon as it must exceed `max` (names are short; the bound keeps it cheap). */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/** How far a surname may be misprinted: one letter in a short name, two in a long one (an OCR slip, not another family). */
function allowedSurnameEdits(len: number): number {
  return len >= 9 ? 2 : len >= 5 ? 1 : 0;
}

function surnameScore(a: string, b: string): number {
  if (a === b) return 1;
  const plain = (s: string) => s.replace(/-/g, '');
  if (plain(a) === plain(b)) return 1;
  // Double-barrelled names printed in part: "Garcia-Lopez" / "Garcia".
  if (a.split('-').includes(b) || b.split('-').includes(a)) return 0.9;
  const d = boundedDistance(plain(a), plain(b), 2);
  return d <= allowedSurnameEdits(Math.min(a.length, b.length)) ? 0.9 : 0;
}

function givenScore(a: string, b: string): number {
  const initialA = a.length === 1;
  const initialB = b.length === 1;
  if (initialA || initialB) return a[0] === b[0] ? 0.7 : 0;
  if (a === b) return 1;
  if (sameGivenName(a, b)) return 0.95;
  return Math.min(a.length, b.length) >= 4 && boundedDistance(a, b, 1) <= 1 ? 0.85 : 0;
}

/** Middle names that both sides print must agree at least by initial; one side omitting them is normal. */
function middleFactor(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 1;
  return a[0]![0] === b[0]![0] ? 1 : 0.7;
}

export interface NameComparison {
  score: number;
  how: 'same tokens' | 'first and last' | 'order swapped' | 'different';
}

/**
 * 0..1: how likely two printed names are the same person. Surnames must agree (within a bounded
 * edit distance); given names may be nicknames or initials, which lowers the score (an initial
 * alone is weak evidence: "A. Sehgal" could be Ashok or Anita).
 */
export function compareNames(a: PersonName, b: PersonName): NameComparison {
  const setA = [...a.tokens].sort().join(' ');
  const setB = [...b.tokens].sort().join(' ');
  if (setA === setB && a.tokens.every((t) => t.length > 1)) return { score: 1, how: 'same tokens' };
  const direct = surnameScore(a.last, b.last) * givenScore(a.first, b.first) * middleFactor(a.middles, b.middles);
  // A name printed surname first without a comma ("SEHGAL ASHOK K"): the order is unknown, so it counts a little less.
  const surnameFirst = (x: PersonName, y: PersonName) =>
    0.95 * surnameScore(x.first, y.last) * givenScore(x.tokens[1]!, y.first);
  const swapped = Math.max(surnameFirst(a, b), surnameFirst(b, a));
  if (direct === 0 && swapped === 0) return { score: 0, how: 'different' };
  return direct >= swapped
    ? { score: round(direct), how: 'first and last' }
    : { score: round(swapped), how: 'order swapped' };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The form shown for a provider created from a document: natural order, each word capitalised. */
export function displayName(n: PersonName): string {
  return n.tokens
    .map((t) => (t.length === 1 ? `${t}.` : t.replace(/[A-Z]+/g, (w) => w[0] + w.slice(1).toLowerCase())))
    .join(' ');
}
