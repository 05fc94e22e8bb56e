/**
 * Header rows: a line whose words read as column headings of the caller's vocabulary (kept as
 * data), possibly with a second heading line under it. Several headings may share one run of
 * words ("Completion Date Credit Type"): the longest wordings are matched first.
 */
import { oneEditApart } from './edit-distance';
import type { TableColumn, TableSpec } from './table-types';
import type { Line, Word } from './types';

export interface Vocabulary {
  phrases: { tokens: string[]; key: string | null }[];
  tokens: Set<string>;
}

export function vocabulary(spec: TableSpec): Vocabulary {
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

export interface Header {
  columns: TableColumn[];
  lines: Line[];
  /** Index of the first line after the header. */
  end: number;
}

const hasDigit = (w: Word) => /\d/.test(w.text);

/** The header starting at line i, with a second heading line under it when there is one. */
export function headerAt(lines: Line[], i: number, vocab: Vocabulary, spec: TableSpec): Header | null {
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
