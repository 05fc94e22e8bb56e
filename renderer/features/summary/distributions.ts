import type { DocumentDetail } from '../../../common/api';

export interface Bucket {
  label: string;
  count: number;
}

/** Counts of `values` in the half-open ranges [edges[i], edges[i+1]); the last bucket takes the rest. */
export function histogram(
  values: readonly number[],
  edges: readonly number[],
  label: (from: number, to: number | null) => string,
): Bucket[] {
  const buckets = edges.map((from, i) => ({ label: label(from, edges[i + 1] ?? null), count: 0 }));
  for (const v of values) {
    let i = edges.length - 1;
    while (i > 0 && v < (edges[i] ?? 0)) i -= 1;
    const bucket = buckets[i];
    if (bucket) bucket.count += 1;
  }
  return buckets;
}

export function processingTimeBuckets(details: readonly DocumentDetail[]): Bucket[] {
  const ms = details.flatMap((d) => (d.extraction ? [d.extraction.ms] : []));
  return histogram(ms, [0, 250, 500, 1000, 2000, 5000, 10_000], (from, to) =>
    to === null ? `≥ ${from / 1000} s` : `${from / 1000}–${to / 1000} s`,
  );
}

/** Every extracted field's confidence, so one weak field in a strong document still shows. */
export function confidenceBuckets(details: readonly DocumentDetail[]): Bucket[] {
  const values = details.flatMap((d) =>
    Object.values(d.extraction?.fields ?? {}).flatMap((f) => (f ? [f.confidence] : [])),
  );
  return histogram(values, [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95], (from, to) =>
    to === null ? `≥ ${Math.round(from * 100)}%` : `${Math.round(from * 100)}–${Math.round(to * 100)}%`,
  );
}
