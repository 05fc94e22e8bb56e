/**
 * CME activities of one provider, collected from single certificates and transcript rows and
 * deduplicated: the same activity printed on several transcripts and on its own certificate has
 * the same completion date, the same credits and the same title once normalised, and counts once.
 */
import { CREDIT_TYPES, type CreditType } from '../../common/extraction';
import type { Topic } from './rule-types';
import { topicsFromTitle, type TopicMatch } from './topics';

export interface CmeSourceDocument {
  id: string;
  docType: string | null;
  fields: Record<string, unknown>;
}

export interface ActivitySource {
  documentId: string;
  kind: 'certificate' | 'transcript';
  /** 1-based row of a transcript. */
  row?: number;
}

export interface CmeActivityRecord {
  /** Stable across reads: the dedup key, or the source's id and row where the activity lacks a date, credits or title. */
  key: string;
  title: string | null;
  provider: string | null;
  completionDate: string | null;
  credits: number | null;
  creditType: CreditType | null;
  sources: ActivitySource[];
  topics: TopicMatch[];
  /** Set (true) only when a coordinator chose the topics, which may be none. */
  topicsByHand?: true;
}

export function normaliseTitle(title: string): string {
  // Dots and apostrophes vanish rather than split a word: "E.D." is "ED", "Alzheimer's" is "ALZHEIMERS".
  return title
    .toUpperCase()
    .replace(/[.'’]/g, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

const asString = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const asNumber = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() && Number.isFinite(Number(v))
      ? Number(v)
      : null;
const asCreditType = (v: unknown): CreditType | null =>
  typeof v === 'string' && (CREDIT_TYPES as readonly string[]).includes(v) ? (v as CreditType) : null;

interface RawActivity {
  title: string | null;
  provider: string | null;
  completionDate: string | null;
  credits: number | null;
  creditType: CreditType | null;
  source: ActivitySource;
}

function rawActivities(doc: CmeSourceDocument): RawActivity[] {
  if (doc.docType === 'cme_certificate') {
    const f = doc.fields;
    return [
      {
        title: asString(f.activityTitle),
        provider: asString(f.provider),
        completionDate: asString(f.completionDate),
        credits: asNumber(f.credits),
        creditType: asCreditType(f.creditType),
        source: { documentId: doc.id, kind: 'certificate' },
      },
    ];
  }
  if (doc.docType === 'cme_transcript' && Array.isArray(doc.fields.activities)) {
    return (doc.fields.activities as Array<Record<string, unknown>>).map((a, i) => ({
      title: asString(a.title),
      provider: asString(a.provider),
      completionDate: asString(a.completionDate),
      credits: asNumber(a.credits),
      creditType: asCreditType(a.creditType),
      source: { documentId: doc.id, kind: 'transcript', row: i + 1 },
    }));
  }
  return [];
}

function keyOf(a: RawActivity): string {
  if (a.title && a.completionDate && a.credits !== null)
    return `${a.completionDate}|${a.credits}|${normaliseTitle(a.title)}`;
  return `${a.source.documentId}#${a.source.row ?? 0}`;
}

/** Collects and deduplicates; `overrides` (activity key → topics) replace the topics read from a title. */
export function collectActivities(
  docs: readonly CmeSourceDocument[],
  overrides: ReadonlyMap<string, readonly Topic[]> = new Map(),
): CmeActivityRecord[] {
  const byKey = new Map<string, CmeActivityRecord>();
  for (const doc of docs) {
    for (const a of rawActivities(doc)) {
      const key = keyOf(a);
      const seen = byKey.get(key);
      if (!seen) {
        byKey.set(key, {
          key,
          title: a.title,
          provider: a.provider,
          completionDate: a.completionDate,
          credits: a.credits,
          creditType: a.creditType,
          sources: [a.source],
          topics: [],
        });
        continue;
      }
      seen.sources.push(a.source);
      // A certificate states the activity itself (a transcript row may shorten the title or leave the provider out).
      if (a.source.kind === 'certificate' && a.title) seen.title = a.title;
      seen.provider ??= a.provider;
      seen.creditType ??= a.creditType;
    }
  }
  const out = [...byKey.values()];
  for (const a of out) {
    const manual = overrides.get(a.key);
    a.topics = manual ? manual.map((topic) => ({ topic, match: null, source: 'override' })) : topicsFromTitle(a.title);
    // An empty override leaves no topic to carry its source: the flag lets the page offer the title back.
    if (manual) a.topicsByHand = true;
  }
  return out.sort(
    (a, b) => (a.completionDate ?? '').localeCompare(b.completionDate ?? '') || a.key.localeCompare(b.key),
  );
}

export interface CmeTotals {
  totalCredits: number;
  activities: number;
  byCreditType: Record<string, number>;
  /** Credits per calendar year of completion ('unknown' for activities without a date). */
  byYear: Record<string, number>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function totalActivities(activities: readonly CmeActivityRecord[]): CmeTotals {
  const totals: CmeTotals = { totalCredits: 0, activities: activities.length, byCreditType: {}, byYear: {} };
  for (const a of activities) {
    const credits = a.credits ?? 0;
    totals.totalCredits = round2(totals.totalCredits + credits);
    const type = a.creditType ?? 'UNKNOWN';
    totals.byCreditType[type] = round2((totals.byCreditType[type] ?? 0) + credits);
    const year = a.completionDate?.slice(0, 4) ?? 'unknown';
    totals.byYear[year] = round2((totals.byYear[year] ?? 0) + credits);
  }
  return totals;
}
