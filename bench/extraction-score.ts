/**
 * Scores pipeline outcomes against the fixture manifest, as the spec's Scoring section says:
 * each (document, field) pair counts once; `activities` is scored separately as row F1; plus
 * docType accuracy, confidence precision at >= 0.9, expected calibration error and timings.
 */
import {
  FIELDS_BY_DOC_TYPE,
  isExtractionFailure,
  type CmeActivity,
  type ExtractionOutcome,
} from '../common/extraction';
import type { ManifestEntry } from '../test/fixtures/credentials/types';
import { f1, matchActivities, valueMatches, type RowMatch } from './extraction-normalise';

export interface ScoredDoc {
  entry: ManifestEntry;
  outcome: ExtractionOutcome;
  /** Wall time the benchmark measured around the call. */
  wallMs: number;
}

export interface FieldResult {
  file: string;
  layout: string;
  docType: string;
  scanned: boolean;
  field: string;
  expected: unknown;
  got: unknown;
  confidence: number | null;
  right: boolean;
}

export interface Ratio {
  right: number;
  total: number;
  rate: number;
}

export interface Report {
  documents: number;
  docType: Ratio & { confusion: Record<string, Record<string, number>> };
  errors: Record<string, number>;
  fields: { all: Ratio; bornDigital: Ratio; scanned: Ratio; nonNullTruth: Ratio; nullTruth: Ratio };
  perField: Record<string, Ratio>;
  perType: Record<string, Ratio & { docTypeRate: number; bornDigital: Ratio; scanned: Ratio }>;
  perLayout: Record<string, Ratio & { docTypeRate: number; documents: number }>;
  activities: RowMatch & { precision: number; recall: number; f1: number };
  confidence: {
    returned: number;
    highConfidence: number;
    highShare: number;
    highPrecision: number;
    /** Share of non-null truth values answered right with confidence >= 0.9. */
    highCoverage: number;
    ece: number;
    bins: { from: number; to: number; n: number; meanConfidence: number; accuracy: number }[];
  };
  timing: { bornDigitalMs: Percentiles; scannedMs: Percentiles; ocrPageMs: Percentiles; pipelineMs: Percentiles };
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

const ratio = (right: number, total: number): Ratio => ({ right, total, rate: total ? right / total : 1 });

class Tally {
  private readonly m = new Map<string, [number, number]>();
  add(key: string, right: boolean): void {
    const v = this.m.get(key) ?? [0, 0];
    v[0] += right ? 1 : 0;
    v[1] += 1;
    this.m.set(key, v);
  }
  get(key: string): Ratio {
    const [r, t] = this.m.get(key) ?? [0, 0];
    return ratio(r, t);
  }
  keys(): string[] {
    return [...this.m.keys()].sort();
  }
}

/** Nearest-rank percentile. */
export function percentiles(values: number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number): number => (s.length ? (s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] as number) : 0);
  return { n: s.length, p50: at(50), p95: at(95), max: s.at(-1) ?? 0 };
}

/** Expected calibration error over `bins` equal-width confidence bins. */
export function calibration(points: { confidence: number; right: boolean }[], bins = 10): Report['confidence']['bins'] {
  return Array.from({ length: bins }, (_, b) => {
    const from = b / bins;
    const to = (b + 1) / bins;
    const inBin = points.filter((p) =>
      b === bins - 1 ? p.confidence >= from : p.confidence >= from && p.confidence < to,
    );
    const n = inBin.length;
    return {
      from,
      to,
      n,
      meanConfidence: n ? inBin.reduce((s, p) => s + p.confidence, 0) / n : 0,
      accuracy: n ? inBin.filter((p) => p.right).length / n : 0,
    };
  });
}

export function expectedCalibrationError(points: { confidence: number; right: boolean }[], bins = 10): number {
  if (!points.length) return 0;
  return calibration(points, bins).reduce(
    (s, b) => s + (b.n / points.length) * Math.abs(b.accuracy - b.meanConfidence),
    0,
  );
}

/** Every scored (document, field) pair of one document, `activities` excluded. */
export function fieldResults(doc: ScoredDoc): FieldResult[] {
  const { entry, outcome } = doc;
  const fields = isExtractionFailure(outcome) ? {} : (outcome.fields ?? {});
  const names = new Set(FIELDS_BY_DOC_TYPE[entry.docType].filter((f) => f !== 'activities'));
  // A value returned for a field the truth type does not have is a value the document does not show.
  for (const [k, v] of Object.entries(fields)) if (k !== 'activities' && v !== null && v !== undefined) names.add(k);
  return [...names].map((field) => {
    const fv = fields[field] ?? null;
    const expected = entry.truth[field] ?? null;
    const got = fv === null ? null : (fv.value ?? null);
    return {
      file: entry.file,
      layout: entry.layout,
      docType: entry.docType,
      scanned: entry.scanned,
      field,
      expected,
      got,
      confidence: fv === null || got === null ? null : fv.confidence,
      right: valueMatches(field, expected, got),
    };
  });
}

export function scoreRun(docs: ScoredDoc[]): Report {
  const byScan = new Tally();
  const perField = new Tally();
  const perType = new Tally();
  const perLayout = new Tally();
  const typeOk = new Tally();
  const layoutTypeOk = new Tally();
  const truthKind = new Tally();
  const confusion: Record<string, Record<string, number>> = {};
  const errors: Record<string, number> = {};
  const points: { confidence: number; right: boolean }[] = [];
  const rows: RowMatch = { matched: 0, truthRows: 0, predictedRows: 0 };
  let coverage = 0;
  let nonNullTruth = 0;
  for (const doc of docs) {
    const { entry, outcome } = doc;
    const failed = isExtractionFailure(outcome);
    const predictedType = failed ? `error:${outcome.error.code}` : outcome.docType;
    if (failed) errors[outcome.error.code] = (errors[outcome.error.code] ?? 0) + 1;
    (confusion[entry.docType] ??= {})[predictedType] = ((confusion[entry.docType] ?? {})[predictedType] ?? 0) + 1;
    typeOk.add(entry.docType, predictedType === entry.docType);
    typeOk.add('*', predictedType === entry.docType);
    layoutTypeOk.add(entry.layout, predictedType === entry.docType);
    for (const r of fieldResults(doc)) {
      byScan.add(r.scanned ? 'scanned' : 'bornDigital', r.right);
      byScan.add('all', r.right);
      perField.add(`${r.docType}.${r.field}`, r.right);
      perType.add(r.docType, r.right);
      perType.add(`${r.docType}|${r.scanned ? 'scanned' : 'bornDigital'}`, r.right);
      perLayout.add(r.layout, r.right);
      truthKind.add(r.expected === null ? 'null' : 'nonNull', r.right);
      if (r.expected !== null) nonNullTruth++;
      if (r.got !== null && r.confidence !== null) {
        points.push({ confidence: r.confidence, right: r.right });
        if (r.right && r.confidence >= 0.9 && r.expected !== null) coverage++;
      }
    }
    const truthRows = (entry.truth.activities ?? []) as CmeActivity[];
    const gotRows = failed ? null : (outcome.fields?.activities?.value ?? null);
    if (truthRows.length || gotRows) {
      const m = matchActivities(truthRows, gotRows);
      rows.matched += m.matched;
      rows.truthRows += m.truthRows;
      rows.predictedRows += m.predictedRows;
    }
  }
  const high = points.filter((p) => p.confidence >= 0.9);
  const succeeded = docs.filter((d) => !isExtractionFailure(d.outcome));
  const layouts = [...new Set(docs.map((d) => d.entry.layout))];
  return {
    documents: docs.length,
    docType: { ...typeOk.get('*'), confusion },
    errors,
    fields: {
      all: byScan.get('all'),
      bornDigital: byScan.get('bornDigital'),
      scanned: byScan.get('scanned'),
      nonNullTruth: truthKind.get('nonNull'),
      nullTruth: truthKind.get('null'),
    },
    perField: Object.fromEntries(perField.keys().map((k) => [k, perField.get(k)])),
    perType: Object.fromEntries(
      perType
        .keys()
        .filter((k) => !k.includes('|'))
        .map((k) => [
          k,
          {
            ...perType.get(k),
            docTypeRate: typeOk.get(k).rate,
            bornDigital: perType.get(`${k}|bornDigital`),
            scanned: perType.get(`${k}|scanned`),
          },
        ]),
    ),
    perLayout: Object.fromEntries(
      layouts
        .sort()
        .map((k) => [
          k,
          { ...perLayout.get(k), docTypeRate: layoutTypeOk.get(k).rate, documents: layoutTypeOk.get(k).total },
        ]),
    ),
    activities: { ...rows, ...f1(rows) },
    confidence: {
      returned: points.length,
      highConfidence: high.length,
      highShare: points.length ? high.length / points.length : 0,
      highPrecision: high.length ? high.filter((p) => p.right).length / high.length : 1,
      highCoverage: nonNullTruth ? coverage / nonNullTruth : 0,
      ece: expectedCalibrationError(points),
      bins: calibration(points),
    },
    timing: {
      bornDigitalMs: percentiles(docs.filter((d) => !d.entry.scanned).map((d) => d.wallMs)),
      scannedMs: percentiles(docs.filter((d) => d.entry.scanned).map((d) => d.wallMs)),
      ocrPageMs: percentiles(
        succeeded
          .filter((d) => !isExtractionFailure(d.outcome) && d.outcome.ocr)
          .map((d) => d.wallMs / Math.max(1, (d.outcome as { pages: number }).pages)),
      ),
      pipelineMs: percentiles(succeeded.map((d) => (d.outcome as { ms: number }).ms)),
    },
  };
}

/** Wrong pairs, and wrong docTypes as a `docType` pseudo-field, for `--show-errors`. */
export function wrongValues(docs: ScoredDoc[]): FieldResult[] {
  const out: FieldResult[] = [];
  for (const doc of docs) {
    const o = doc.outcome;
    const got = isExtractionFailure(o) ? `error:${o.error.code}` : o.docType;
    if (got !== doc.entry.docType) {
      out.push({
        file: doc.entry.file,
        layout: doc.entry.layout,
        docType: doc.entry.docType,
        scanned: doc.entry.scanned,
        field: 'docType',
        expected: doc.entry.docType,
        got,
        confidence: isExtractionFailure(o) ? null : o.docTypeConfidence,
        right: false,
      });
    }
    out.push(...fieldResults(doc).filter((r) => !r.right));
  }
  return out;
}
