import type { DocumentDetail } from '../../../common/api';

/** What a coordinator searches a document by, besides its file name. */
export interface DocumentTerms {
  /** The credential holder as printed (registrant, licensee, participant); shown as Provider. */
  person: string | null;
  /** DEA, license, registration and NPI numbers. */
  numbers: string[];
  /** CME activity titles (one certificate's, or every row of a transcript). */
  titles: string[];
}

const PERSON_FIELDS = ['registrantName', 'licenseeName', 'participantName'] as const;
const NUMBER_FIELDS = ['deaNumber', 'licenseNumber', 'registrationNumber', 'npi'] as const;

/** The terms of a document's current values: a reviewer's correction wins over the extraction. */
export function documentTerms(doc: Pick<DocumentDetail, 'extraction' | 'corrections'>): DocumentTerms {
  const value = (name: string): unknown =>
    name in doc.corrections ? doc.corrections[name]?.value : doc.extraction?.fields[name]?.value;
  const text = (v: unknown): string | null =>
    typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
  const person = PERSON_FIELDS.map((f) => text(value(f))).find((v) => v !== null) ?? null;
  const numbers = NUMBER_FIELDS.map((f) => text(value(f))).filter((v): v is string => v !== null);
  const titles: string[] = [];
  const title = text(value('activityTitle'));
  if (title) titles.push(title);
  const activities = value('activities');
  if (Array.isArray(activities)) {
    for (const a of activities) {
      const t = typeof a === 'object' && a !== null ? text((a as { title?: unknown }).title) : null;
      if (t) titles.push(t);
    }
  }
  return { person, numbers, titles };
}

/**
 * The user's words as an FTS5 query: every word must match, each as a prefix ("mor" finds
 * MORRIS) or as one of its `alternatives`, quoted so punctuation and FTS operators in what was
 * typed are plain text. Null when nothing searchable was typed.
 */
export function termsMatchQuery(
  search: string,
  alternatives: (word: string) => readonly string[] = () => [],
): string | null {
  const words = searchWords(search);
  if (words.length === 0) return null;
  return (
    words
      .map((w) => {
        // A misspelt name word: any of the indexed words it is near will do.
        const near = alternatives(w);
        return near.length === 0 ? `"${w}"*` : `("${w}"* OR ${near.map((t) => `"${t}"`).join(' OR ')})`;
      })
      // Explicit AND: FTS5 does not accept an implicit AND after a parenthesised group.
      .join(' AND ')
  );
}

/** The words of a search box's text, as FTS5's tokenizer splits them. */
export function searchWords(search: string): string[] {
  return search
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}
