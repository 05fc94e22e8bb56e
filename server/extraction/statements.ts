/**
 * Values stated in sentences rather than beside labels: "This certifies that Jane Q. Doe, MD has
 * participated in the enduring material titled “X” on 03/04/2025 and is awarded 2.5 AMA PRA
 * Category 1 Credits". Lines that run on as prose are joined into passages; a sentence rule
 * (statement-rules.ts) is a regular expression whose group `v` spans the value, and the words
 * under that span go to the field's own value parser, so a rule says where a value stands in a
 * sentence and the parser says what a value of that type looks like.
 */
import { globalOf, type Parser } from './field-search';
import type { Found, Line, Word } from './types';

export interface Passage {
  words: Word[];
  /** The words joined by single spaces. */
  text: string;
  /** Offset in `text` of each word. */
  starts: number[];
}

export interface StatementRule {
  /** Must have a named group `v`; matched case-insensitively on the passage text. */
  re: RegExp;
  /** 0..1: how surely this sentence form states this field. */
  strength: number;
}

/**
 * Consecutive lines that read as running text: same page, each close below the last, of a
 * similar size. Lines split into columns are not prose; each of their segments stands alone.
 */
export function passages(lines: Line[]): Passage[] {
  const out: Passage[] = [];
  let current: Word[] = [];
  let prev: Line | null = null;
  const flush = () => {
    if (current.length) out.push(passageOf(current));
    current = [];
  };
  for (const line of lines) {
    // A scan's specks (a lone "I" in the margin) are not text: they neither join nor break a passage.
    if (line.words.every((w) => w.conf < 0.999 && w.text.replace(/[^A-Za-z0-9]/g, '').length <= 1)) continue;
    const h = line.y1 - line.y0;
    const ph = prev ? prev.y1 - prev.y0 : 0;
    // Certificates set the connecting words small and the title or name they lead to large
    // ("attended" / "Clinical Pearls in ..."): sizes may differ by almost half.
    const continues =
      prev &&
      prev.page === line.page &&
      line.y0 - prev.y1 < Math.max(h, ph) * 1.2 &&
      Math.abs(h - ph) < Math.max(h, ph) * 0.45;
    if (line.segments.length > 1) {
      // A paragraph's line that a scan's wide gap split ("a MD    physician in the State of ...")
      // still runs on: it starts under the line above and fills the same measure. Its segments
      // are passages of their own as well, as a row of cells' are.
      const runsOn = continues && Math.abs(line.x0 - prev!.x0) < 0.02 && line.x1 > prev!.x1 - 0.1;
      if (!runsOn) flush();
      for (const seg of line.segments) out.push(passageOf(seg));
      if (!runsOn) {
        prev = null;
        continue;
      }
    }
    if (!continues) flush();
    current.push(...line.words);
    prev = line;
  }
  flush();
  return out;
}

function passageOf(words: Word[]): Passage {
  const starts: number[] = [];
  let text = '';
  for (const w of words) {
    if (text) text += ' ';
    starts.push(text.length);
    text += w.text;
  }
  return { words, text, starts };
}

/** The words whose text overlaps [from, to) of the passage text. */
function wordsIn(p: Passage, from: number, to: number): Word[] {
  return p.words.filter((w, i) => p.starts[i]! < to && p.starts[i]! + w.text.length > from);
}

/** Every value the rules find, in passage order; each rule's first parseable match per passage. */
export function searchStatements(
  lines: Line[],
  rules: StatementRule[],
  parse: Parser,
  all: Passage[] = passages(lines),
): Found[] {
  const found: Found[] = [];
  for (const p of all) {
    for (const rule of rules) {
      // matchAll works on a copy of the pattern: the shared one keeps no state between passages.
      for (const m of p.text.matchAll(globalOf(rule.re))) {
        const v = m.groups?.v;
        if (v === undefined || m.index === undefined) continue;
        const from = m.index + m[0].indexOf(v);
        const words = wordsIn(p, from, from + v.length);
        const parsed = words.length ? parse(trimToSpan(words, p, from, from + v.length)) : null;
        if (!parsed) continue;
        found.push({ ...parsed, method: 'statement', labelStrength: rule.strength });
        break;
      }
    }
  }
  return found;
}

/** A word the span only partly covers ("“Geriatric", "Care”") keeps just the covered characters. */
function trimToSpan(words: Word[], p: Passage, from: number, to: number): Word[] {
  return words
    .map((w) => {
      const start = p.starts[p.words.indexOf(w)]!;
      const a = Math.max(0, from - start);
      const b = Math.min(w.text.length, to - start);
      return a === 0 && b === w.text.length ? w : { ...w, text: w.text.slice(a, b) };
    })
    .filter((w) => w.text.length > 0);
}
