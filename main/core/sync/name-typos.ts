/**
 * Typo tolerance for names in search: a typed word that starts no indexed term is compared with
 * the indexed person-name words, and those within one edit (two for long words) stand in for it.
 * "Morrsi" finds MORRIS; "Nunez" already finds Núñez through the index's accent folding.
 */

/** Lower case without accents, as the FTS5 tokenizer (unicode61, remove_diacritics 2) stores words. */
export function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Edits allowed for a word of this length: short words would match too much. */
export function allowedEdits(length: number): number {
  if (length < 4) return 0;
  return length < 7 ? 1 : 2;
}

/**
 * Whether `a` turns into `b` with at most `max` insertions, deletions, substitutions or swaps of
 * neighbours (optimal string alignment distance), stopping as soon as a row exceeds `max`.
 */
export function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return false;
    before = previous;
    previous = current;
  }
  return (previous[b.length] ?? Infinity) <= max;
}

/** The indexed words close enough to `typed` to be what was meant. */
export function nearWords(typed: string, vocabulary: Iterable<string>): string[] {
  const word = foldWord(typed);
  const max = allowedEdits(word.length);
  if (max === 0 || !/^\p{L}+$/u.test(word)) return [];
  const out: string[] = [];
  for (const term of vocabulary) if (term !== word && withinEdits(word, term, max)) out.push(term);
  return out;
}
