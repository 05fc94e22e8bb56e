/**
 * Human-readable rendering of an extraction benchmark Report, with the issue's targets beside
 * the figures so a reader sees at once what passes.
 */
import type { FieldResult, Percentiles, Ratio, Report } from './extraction-score';

const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;
const frac = (r: Ratio): string => (r.total ? `${pct(r.rate).padStart(6)}  (${r.right}/${r.total})` : '   n/a  (none)');
const ms = (p: Percentiles): string =>
  p.n
    ? `p50 ${p.p50.toFixed(0)} ms, p95 ${p.p95.toFixed(0)} ms, max ${p.max.toFixed(0)} ms (n=${p.n})`
    : 'n/a (no documents)';
const mark = (ok: boolean, measured = true): string => (!measured ? '-' : ok ? 'ok  ' : 'MISS');

export function formatReport(r: Report, meta: { pipeline: string; fixtures: string; path: string }): string {
  const out: string[] = [];
  const line = (s = ''): void => void out.push(s);
  line(`Extraction benchmark: ${r.documents} documents (${meta.fixtures}), pipeline ${meta.pipeline} via ${meta.path}`);
  line();
  line('Headline                                  value                     target');
  line(
    `  field accuracy, born-digital           ${frac(r.fields.bornDigital).padEnd(24)}  >= 98%   ${mark(r.fields.bornDigital.rate >= 0.98, r.fields.bornDigital.total > 0)}`,
  );
  line(
    `  field accuracy, scanned                ${frac(r.fields.scanned).padEnd(24)}  >= 94%   ${mark(r.fields.scanned.rate >= 0.94, r.fields.scanned.total > 0)}`,
  );
  line(
    `  docType accuracy                       ${frac(r.docType).padEnd(24)}  >= 99%   ${mark(r.docType.rate >= 0.99)}`,
  );
  line(
    `  precision at confidence >= 0.9         ${pct(r.confidence.highPrecision).padStart(6).padEnd(24)}  >= 99.5% ${mark(r.confidence.highPrecision >= 0.995)}`,
  );
  line(
    `  share of returned values >= 0.9        ${pct(r.confidence.highShare).padStart(6).padEnd(24)}  most     ${mark(r.confidence.highShare > 0.5)}`,
  );
  line(
    `  expected calibration error (10 bins)   ${r.confidence.ece.toFixed(4).padStart(6).padEnd(24)}  <= 0.03  ${mark(r.confidence.ece <= 0.03)}`,
  );
  line(
    `  transcript row F1                      ${r.activities.f1.toFixed(3).padStart(6)}  (P ${r.activities.precision.toFixed(3)}, R ${r.activities.recall.toFixed(3)}; ${r.activities.matched} matched of ${r.activities.truthRows} true, ${r.activities.predictedRows} returned)   target >= 0.97 ${mark(r.activities.f1 >= 0.97, r.activities.truthRows > 0)}`,
  );
  line(
    `  time per born-digital document         ${ms(r.timing.bornDigitalMs)}   target p50 <= 300 ms ${mark(r.timing.bornDigitalMs.p50 <= 300, r.timing.bornDigitalMs.n > 0)}`,
  );
  line(`  time per scanned document              ${ms(r.timing.scannedMs)}`);
  line(
    `  time per OCR page                      ${ms(r.timing.ocrPageMs)}   target p50 <= 3000 ms ${mark(r.timing.ocrPageMs.p50 <= 3000, r.timing.ocrPageMs.n > 0)}`,
  );
  line(`  pipeline-reported ms per document      ${ms(r.timing.pipelineMs)}`);
  line();
  line(
    `All fields ${frac(r.fields.all)}; where the truth has a value ${frac(r.fields.nonNullTruth)}; where the truth is null ${frac(r.fields.nullTruth)}`,
  );
  line(
    `Values returned with a confidence: ${r.confidence.returned}, of which >= 0.9: ${r.confidence.highConfidence}; right at >= 0.9 as a share of all true values: ${pct(r.confidence.highCoverage)}`,
  );
  if (Object.keys(r.errors).length)
    line(
      `Extraction errors: ${Object.entries(r.errors)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  line();
  line('Per docType                 fields                    docType   born-digital fields       scanned fields');
  for (const [k, v] of Object.entries(r.perType))
    line(
      `  ${k.padEnd(24)}  ${frac(v).padEnd(24)}  ${pct(v.docTypeRate).padStart(6)}    ${frac(v.bornDigital).padEnd(24)}  ${frac(v.scanned)}`,
    );
  line();
  line('Per layout                          docs  fields                    docType');
  for (const [k, v] of Object.entries(r.perLayout))
    line(`  ${k.padEnd(32)}  ${String(v.documents).padStart(4)}  ${frac(v).padEnd(24)}  ${pct(v.docTypeRate)}`);
  line();
  line('Per field');
  for (const [k, v] of Object.entries(r.perField)) line(`  ${k.padEnd(40)}  ${frac(v)}`);
  line();
  line('Calibration bins (confidence range: n, mean confidence, accuracy)');
  for (const b of r.confidence.bins)
    if (b.n)
      line(
        `  [${b.from.toFixed(1)}, ${b.to.toFixed(1)}${b.to === 1 ? ']' : ')'}  n=${String(b.n).padStart(4)}  conf ${b.meanConfidence.toFixed(3)}  acc ${b.accuracy.toFixed(3)}`,
      );
  line();
  line('docType confusion (truth -> predicted: count)');
  for (const [t, row] of Object.entries(r.docType.confusion))
    line(
      `  ${t.padEnd(18)} ${Object.entries(row)
        .map(([p, n]) => `${p}: ${n}`)
        .join(', ')}`,
    );
  return out.join('\n');
}

const show = (v: unknown): string =>
  v === null || v === undefined ? 'null' : typeof v === 'string' ? v : JSON.stringify(v);

export function formatErrors(rows: FieldResult[]): string {
  if (!rows.length) return 'No wrong values.';
  return rows
    .map(
      (e) =>
        `${e.file}  ${e.layout}${e.scanned ? ' (scan)' : ''}  ${e.field}: expected ${show(e.expected)}  got ${show(e.got)}  conf ${e.confidence === null ? '-' : e.confidence.toFixed(2)}`,
    )
    .join('\n');
}
