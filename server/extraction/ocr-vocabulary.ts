/**
 * A scanned document often prints a word clearly in one place and has it misread in another
 * ("Clinical" in one row, "Climcal" two rows down): tesseract's typical confusions are a glyph
 * pair read as one letter ("ni" or "rn" as "m", "li" as "h") or one letter for another
 * ("Noduie", "Lipld", "Qutcomes"). Free text such as activity titles can be mended from the
 * document's own clearly read words: a word that is not among them, and that matches exactly
 * one of them up to those confusions (or one edit more), is read as that word. Nothing outside
 * the document is consulted, so no issuer's or topic's words are built in.
 */
import { oneEditApart } from './edit-distance';
import type { Word } from './types';

/** OCR confidence at which a word counts as clearly read. */
const CLEAR = 0.9;

export interface DocumentVocabulary {
  clear: Set<string>;
  byKey: Map<string, Set<string>>;
}

/** Letters as tesseract confuses them, folded to one form: two glyphs read as one, digits for letters. */
function glyphKey(word: string): string {
  return word
    .toLowerCase()
    .replace(/rn|ni/g, 'm')
    .replace(/li/g, 'h')
    .replace(/[1|]/g, 'l')
    .replace(/0/g, 'o')
    .replace(/[{(]/g, 'c');
}

const LETTERS = /^[A-Za-z]{3,}$/;

export function documentVocabulary(words: Word[]): DocumentVocabulary {
  const clear = new Set<string>();
  const byKey = new Map<string, Set<string>>();
  for (const w of words) {
    const t = w.text.replace(/^[^A-Za-z]+|[^A-Za-z]+$/g, '');
    if (w.conf < CLEAR || !LETTERS.test(t)) continue;
    const lower = t.toLowerCase();
    clear.add(lower);
    const key = glyphKey(lower);
    if (!byKey.has(key)) byKey.set(key, new Set());
    byKey.get(key)!.add(lower);
  }
  return { clear, byKey };
}

/** The clear word this token was misread from, or null when there is none or more than one. */
function mend(token: string, vocab: DocumentVocabulary): string | null {
  const core = token.replace(/^[^A-Za-z0-9{(|]+|[^A-Za-z0-9]+$/g, '');
  if (core.length < 3 || vocab.clear.has(core.toLowerCase()) || /^\d+$/.test(core)) return null;
  const key = glyphKey(core);
  const candidates = new Set<string>(vocab.byKey.get(key) ?? []);
  for (const [k, ws] of vocab.byKey) if (oneEditApart(key, k)) for (const w of ws) candidates.add(w);
  // Two clear words within reach: nothing says which was meant.
  if (candidates.size !== 1) return null;
  const word = [...candidates][0]!;
  const cased = /^[A-Z]{2,}$/.test(core)
    ? word.toUpperCase()
    : /^[a-z]/.test(core)
      ? word
      : word[0]!.toUpperCase() + word.slice(1);
  return token.replace(core, cased);
}

/** The text with each misread word replaced by the clear word of the document it stands for. */
export function mendText(text: string, vocab: DocumentVocabulary): string {
  return text
    .split(' ')
    .map((t) => mend(t, vocab) ?? t)
    .join(' ');
}
