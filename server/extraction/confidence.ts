/**
 * Stage 7: a value's confidence from how it was found (method, label strength), the OCR
 * confidence of its words and whether its format is strict. The table is calibrated on the
 * fixture set (npm run bench:extract); validators lower it further afterwards.
 */
import type { Found, Method } from './types';

/** Empirical share of right values per method on born-digital fixtures, before OCR effects. */
const METHOD_BASE: Record<Method, number> = {
  'label-inline': 0.97,
  'label-below': 0.94,
  table: 0.93,
  derived: 0.9,
  pattern: 0.85,
};

/** Fields whose values pass a strict format or checksum can be trusted more when found. */
const STRICT_FIELDS = new Set(['deaNumber', 'npi', 'schedules', 'state', 'licenseType', 'creditType', 'businessActivity', 'status']);
/** Free-text fields are right less often (extra or missing words). */
const LOOSE_FIELDS = new Set(['activityTitle', 'provider', 'activities']);

export function scoreConfidence(field: string, found: Found): number {
  let c = METHOD_BASE[found.method] * (0.6 + 0.4 * Math.min(1, found.labelStrength));
  if (STRICT_FIELDS.has(field)) c = 1 - (1 - c) * 0.6;
  if (LOOSE_FIELDS.has(field)) c *= 0.93;
  const ocr = ocrFactor(found);
  return round(Math.max(0.01, Math.min(0.995, c * ocr)));
}

/** The weakest OCR word decides: one misread character is enough to make a value wrong. */
function ocrFactor(found: Found): number {
  if (!found.words.length) return 1;
  const min = Math.min(...found.words.map((w) => w.conf));
  if (min >= 0.999) return 1;
  if (min >= 0.92) return 0.97;
  if (min >= 0.85) return 0.9;
  if (min >= 0.7) return 0.75;
  return 0.5;
}

export function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
