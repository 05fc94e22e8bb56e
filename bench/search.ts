/**
 * Search over the local mirror at scale: N documents (default 10,000) with holder names, DEA,
 * license and NPI numbers and CME titles, indexed as the desktop's sync indexes them, then each
 * kind of query a coordinator types, timed through DocumentsMirror.list (first page of 100,
 * newest first, with the total), as the Documents screen asks.
 *
 *   npm run bench:search --  [--documents 10000] [--runs 30]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentSummary } from '../common/api';
import { openQueueDb } from '../main/core/db/open-queue-db';
import { DocumentsMirror } from '../main/core/sync/documents-mirror';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const N = arg('documents', 10_000);
const RUNS = arg('runs', 30);

const FIRST = [
  'Dmitri',
  'Ana',
  'Priya',
  'Carlos',
  'Laura',
  'Chidi',
  'Marek',
  'Yuki',
  'Sofía',
  'Omar',
  'Grace',
  'Tomás',
  'Ingrid',
  'Kwame',
  'Mei',
  'Rafael',
];
const LAST = [
  'Morris',
  'Nguyen',
  'Patel',
  'García',
  'Johnson',
  'Okafor',
  'Kowalski',
  'Yamamoto',
  'Schmidt',
  'Haddad',
  'Brennan',
  'Núñez',
  'Larsen',
  'Mensah',
  'Chen',
  'Oliveira',
  'Fitzgerald',
  'Abernathy',
];
const TOPICS = [
  'Opioid Prescribing Safety',
  'Sepsis Update',
  'Pediatric Asthma',
  'Diabetes Management',
  'Ethics in Telehealth',
  'Stroke Recognition',
  'Antimicrobial Stewardship',
];

const dir = mkdtempSync(join(tmpdir(), 'credmate-bench-search-'));
try {
  const db = openQueueDb(join(dir, 'queue.sqlite'));
  const mirror = new DocumentsMirror(db);
  const summaries: DocumentSummary[] = Array.from({ length: N }, (_, i) => ({
    id: `d${i}`,
    batchId: `b${i % 20}`,
    fileName: `scan-${String(i).padStart(5, '0')}.pdf`,
    sizeBytes: 1,
    sha256: String(i).padStart(64, '0'),
    status: 'review_pending',
    failureReason: null,
    provider: null,
    docType: null,
    docTypeConfidence: null,
    pages: 1,
    expirationDate: null,
    minConfidence: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    changeSeq: i + 1,
  }));
  mirror.apply(summaries, N);
  const person = (i: number) =>
    `${LAST[(i * 7) % LAST.length]}, ${FIRST[i % FIRST.length]} ${String.fromCharCode(65 + (i % 26))}`;
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const cme = i % 3 === 0;
    mirror.indexTerms(`d${i}`, i + 1, {
      person: person(i),
      numbers: cme
        ? []
        : [
            `B${'MJKLP'[i % 5]}${String(1_000_000 + i).slice(-7)}`,
            `${String(100_000 + i)}`,
            String(1_000_000_000 + i * 7),
          ],
      titles: cme ? [`${TOPICS[i % TOPICS.length]} ${2020 + (i % 6)}`, `${TOPICS[(i + 3) % TOPICS.length]}`] : [],
    });
  }
  const indexMs = performance.now() - started;
  // A registration (not a CME document, which carries no numbers) to look up by its numbers.
  const k = 4243;
  const queries: Array<[kind: string, text: string]> = [
    ['surname', 'okafor'],
    ['surname prefix', 'kowal'],
    ['first and last name', 'priya patel'],
    ['accent-free name', 'nunez'],
    ['name with a typo', 'yamamtoo'],
    ['DEA number', `B${'MJKLP'[k % 5]}${String(1_000_000 + k).slice(-7)}`],
    ['license number', String(100_000 + k)],
    ['NPI', String(1_000_000_000 + k * 7)],
    ['activity title words', 'opioid safety'],
    ['file name part', 'scan-0424'],
    ['nothing matches', 'zzyzx'],
  ];
  const results = queries.map(([kind, text]) => {
    const times: number[] = [];
    let total = 0;
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      total = mirror.list({ search: text, sort: 'updatedAt', direction: 'desc', limit: 100 }).total;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 10) / 10;
    return { kind, query: text, matches: total, p50Ms: at(0.5), p95Ms: at(0.95) };
  });
  db.close();
  console.log(JSON.stringify({ documents: N, runs: RUNS, indexAllMs: Math.round(indexMs), results }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
