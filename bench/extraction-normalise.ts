/**
 * Value comparison for the extraction benchmark, as ../shared/spec/extraction.md (Scoring)
 * defines it: names as sets of upper-case tokens without punctuation and degrees, titles and
 * providers as upper-case alphanumeric token sequences, identifiers upper-case without spaces
 * and hyphens, numbers within 0.001, schedules as sets, dates exact.
 */
import type { CmeActivity } from '../common/extraction';

/** Degrees and honours dropped from names (compared after punctuation is removed: `PA-C` is `PAC`). */
const DEGREES = new Set([
  'MD',
  'DO',
  'NP',
  'PA',
  'PAC',
  'FACP',
  'FAAFP',
  'FACOFP',
  'FACS',
  'FACC',
  'FAAP',
  'FACEP',
  'PHD',
  'MPH',
  'MPAS',
  'MSN',
  'BSN',
  'RN',
  'APRN',
  'FNP',
  'FNPBC',
  'FNPC',
  'NPC',
  'DNP',
  'CRNA',
  'MBA',
  'MS',
  'MBBS',
  'DDS',
  'DMD',
  'DPM',
  'PHARMD',
  'OD',
]);

const NAME_FIELDS = new Set(['registrantName', 'licenseeName', 'participantName']);
const TEXT_FIELDS = new Set(['activityTitle', 'provider']);
const DATE_FIELDS = new Set(['issueDate', 'expirationDate', 'completionDate']);
const NUMBER_FIELDS = new Set(['credits', 'totalCredits']);
/**
 * Identifiers per the spec, plus the coded values (state, licenseType, status, businessActivity,
 * creditType), which the spec asks for in upper case but gives no comparison rule for: they
 * compare like identifiers, so `MID LEVEL PRACTITIONER` equals `MID-LEVEL PRACTITIONER`.
 */
const IDENTIFIER_FIELDS = new Set([
  'deaNumber',
  'licenseNumber',
  'registrationNumber',
  'npi',
  'state',
  'licenseType',
  'status',
  'businessActivity',
  'creditType',
]);

export function nameTokens(s: string): string[] {
  const tokens = s
    .toUpperCase()
    .split(/[\s,]+/)
    .map((t) => t.replace(/[^A-Z0-9]/g, ''))
    .filter((t) => t && !DEGREES.has(t));
  return [...new Set(tokens)].sort();
}

export function textTokens(s: string): string {
  return s
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean)
    .join(' ');
}

export function identifier(s: string): string {
  return s.toUpperCase().replace(/[\s-]+/g, '');
}

const sameList = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * True when `got` is right for `field` against the truth. `null`/`undefined` is right exactly
 * when the truth is `null`. Values of the wrong JSON type are wrong (the contract fixes types).
 */
export function valueMatches(field: string, truth: unknown, got: unknown): boolean {
  const gotNull = got === null || got === undefined;
  if (truth === null || truth === undefined) return gotNull;
  if (gotNull) return false;
  if (field === 'schedules') {
    if (!Array.isArray(truth) || !Array.isArray(got) || !got.every((x) => typeof x === 'string')) return false;
    const norm = (a: string[]): string[] => [...new Set(a.map(identifier))].sort();
    return sameList(norm(truth as string[]), norm(got as string[]));
  }
  if (NUMBER_FIELDS.has(field))
    return typeof got === 'number' && typeof truth === 'number' && Math.abs(got - truth) <= 0.001 + 1e-9;
  if (typeof got !== 'string' || typeof truth !== 'string') return false;
  if (NAME_FIELDS.has(field)) return sameList(nameTokens(truth), nameTokens(got));
  if (TEXT_FIELDS.has(field)) return textTokens(truth) === textTokens(got);
  if (DATE_FIELDS.has(field)) return truth === got;
  if (IDENTIFIER_FIELDS.has(field)) return identifier(truth) === identifier(got);
  return truth === got;
}

export interface RowMatch {
  matched: number;
  truthRows: number;
  predictedRows: number;
}

/**
 * Transcript rows matched one-to-one on completion date (exact), credits (within 0.001) and
 * title (token sequence); greedy in document order, each predicted row used at most once.
 */
export function matchActivities(truth: CmeActivity[], got: unknown): RowMatch {
  const predicted = Array.isArray(got) ? (got as Partial<CmeActivity>[]) : [];
  const used = new Set<number>();
  let matched = 0;
  for (const t of truth) {
    const i = predicted.findIndex(
      (p, k) =>
        !used.has(k) &&
        p !== null &&
        typeof p === 'object' &&
        p.completionDate === t.completionDate &&
        typeof p.credits === 'number' &&
        typeof t.credits === 'number' &&
        Math.abs(p.credits - t.credits) <= 0.001 + 1e-9 &&
        typeof p.title === 'string' &&
        textTokens(p.title) === textTokens(t.title),
    );
    if (i >= 0) {
      used.add(i);
      matched++;
    }
  }
  return { matched, truthRows: truth.length, predictedRows: predicted.length };
}

export function f1(m: RowMatch): { precision: number; recall: number; f1: number } {
  const precision = m.predictedRows ? m.matched / m.predictedRows : m.truthRows ? 0 : 1;
  const recall = m.truthRows ? m.matched / m.truthRows : 1;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}
