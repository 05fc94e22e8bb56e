/**
 * `npm run bench:extract`: builds the synthetic credential set (or reuses it when its
 * generator version, seed and count match), runs the extraction pipeline over it, and prints
 * the accuracy, calibration and timing figures of the spec's Scoring section.
 *
 * Flags: --only <docType>  --layout <name[,name...]>  --scanned-only  --born-digital-only  --limit N  --json  --show-errors
 *        --direct (call extractPdf in this process instead of through createExtractionSandbox,
 *        the path `credmate extract` and the job worker use; handy for profiling)
 *        --fixtures DIR (default bench-output/credentials/v<generator>-seed<N>-n<count>)  --seed N (held-out set, same layouts with
 *        other names, numbers and dates)  --count N  --regenerate
 *        --corpus DIR: score a corpus made outside the team instead (a folder with truth.json keyed by file name, as
 *        ../shared/corpus/credentials-dev holds: `{ docType, scanned, family, fields }`); `--corpus dev` names that one.
 *        Its families are reported as layouts (--layout filters on them).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DOC_TYPES, type ExtractionOutcome } from '../common/extraction';
import {
  DEFAULT_COUNT,
  DEFAULT_SEED,
  GENERATOR_VERSION,
  generateCredentialFixtures,
  type Manifest,
  type ManifestEntry,
} from '../test/fixtures/credentials/generate';
import { formatErrors, formatReport } from './extraction-report';
import { scoreRun, wrongValues, type ScoredDoc } from './extraction-score';

interface Args {
  only: string | null;
  layout: string | null;
  scannedOnly: boolean;
  bornDigitalOnly: boolean;
  limit: number | null;
  json: boolean;
  showErrors: boolean;
  direct: boolean;
  fixtures: string;
  seed: number;
  count: number;
  regenerate: boolean;
  corpus: string | null;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string): string | null => {
    const i = argv.indexOf(flag);
    if (i < 0) return null;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const known = [
    '--only',
    '--layout',
    '--scanned-only',
    '--born-digital-only',
    '--limit',
    '--json',
    '--show-errors',
    '--direct',
    '--fixtures',
    '--seed',
    '--count',
    '--regenerate',
    '--corpus',
  ];
  for (const a of argv)
    if (a.startsWith('--') && !known.includes(a)) throw new Error(`unknown flag ${a}; known: ${known.join(' ')}`);
  const only = value('--only');
  if (only && !(DOC_TYPES as readonly string[]).includes(only))
    throw new Error(`--only takes one of ${DOC_TYPES.join(', ')}`);
  const int = (flag: string, dflt: number | null): number | null => {
    const v = value(flag);
    if (v === null) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a positive integer`);
    return n;
  };
  return {
    only,
    layout: value('--layout'),
    scannedOnly: argv.includes('--scanned-only'),
    bornDigitalOnly: argv.includes('--born-digital-only'),
    limit: int('--limit', null),
    json: argv.includes('--json'),
    showErrors: argv.includes('--show-errors'),
    direct: argv.includes('--direct'),
    // One folder per generator version, seed and count: runs of different sets (other engineers'
    // runs in this shared checkout, a held-out seed) never rewrite the files another run reads.
    fixtures: path.resolve(
      value('--fixtures') ??
        `bench-output/credentials/v${GENERATOR_VERSION}-seed${int('--seed', DEFAULT_SEED)}-n${int('--count', DEFAULT_COUNT)}`,
    ),
    seed: int('--seed', DEFAULT_SEED) as number,
    count: int('--count', DEFAULT_COUNT) as number,
    regenerate: argv.includes('--regenerate'),
    corpus: corpusDir(value('--corpus')),
  };
}

/** Progress on stderr: a rewritten line on a terminal, a line every 25 documents otherwise. */
function progress(what: string, done: number, total: number): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${what} ${done}/${total}${done === total ? '\n' : ''}`);
  else if (done % 25 === 0 || done === total) process.stderr.write(`${what} ${done}/${total}\n`);
}

const DEV_CORPUS = path.resolve('../shared/corpus/credentials-dev');

function corpusDir(v: string | null): string | null {
  if (v === null) return null;
  return v === 'dev' ? DEV_CORPUS : path.resolve(v);
}

interface CorpusTruth {
  docType: ManifestEntry['docType'];
  scanned: boolean;
  family: string;
  fields: ManifestEntry['truth'];
}

/** An outside corpus read as a manifest: its families stand where our layouts do. */
async function loadCorpus(dir: string): Promise<Manifest> {
  const truthPath = path.join(dir, 'truth.json');
  if (!existsSync(truthPath))
    throw new Error(`${truthPath} not found: --corpus takes a folder holding truth.json (or "dev" for ${DEV_CORPUS})`);
  const truth = JSON.parse(await readFile(truthPath, 'utf8')) as Record<string, CorpusTruth>;
  const sub = existsSync(path.join(dir, 'docs')) ? 'docs' : '';
  return Object.entries(truth)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, t]) => ({
      file: path.join(sub, file),
      docType: t.docType,
      scanned: t.scanned,
      layout: t.family,
      pages: 0,
      truth: t.fields,
    }));
}

async function loadOrGenerate(a: Args): Promise<Manifest> {
  if (a.corpus) return loadCorpus(a.corpus);
  const infoPath = path.join(a.fixtures, 'generator.json');
  const manifestPath = path.join(a.fixtures, 'manifest.json');
  if (!a.regenerate && existsSync(infoPath) && existsSync(manifestPath)) {
    const info = JSON.parse(await readFile(infoPath, 'utf8')) as { version?: string; seed?: number; count?: number };
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    if (
      info.version === GENERATOR_VERSION &&
      info.seed === a.seed &&
      info.count === a.count &&
      manifest.every((e) => existsSync(path.join(a.fixtures, e.file)))
    ) {
      return manifest;
    }
  }
  const started = Date.now();
  // Built aside and renamed into place, so a concurrent run never sees a half-written set.
  const staging = `${a.fixtures}.tmp-${process.pid}`;
  const manifest = await generateCredentialFixtures({
    outDir: staging,
    seed: a.seed,
    count: a.count,
    onProgress: (d, t) => progress('generating fixtures', d, t),
  });
  await rm(a.fixtures, { recursive: true, force: true });
  await rename(staging, a.fixtures);
  process.stderr.write(`fixtures generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return manifest;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  let manifest = await loadOrGenerate(a);
  if (a.only) manifest = manifest.filter((e) => e.docType === a.only);
  if (a.layout) manifest = manifest.filter((e) => a.layout!.split(',').includes(e.layout));
  if (a.scannedOnly) manifest = manifest.filter((e) => e.scanned);
  if (a.bornDigitalOnly) manifest = manifest.filter((e) => !e.scanned);
  if (a.limit) manifest = manifest.slice(0, a.limit);
  if (manifest.length === 0)
    throw new Error('No fixture matches the filters (see --only, --layout, --scanned-only, --born-digital-only).');
  const pipeline = await import('../server/extraction/index');
  // The limits `credmate extract` uses by default.
  const sandbox = a.direct
    ? null
    : (await import('../server/extraction/sandbox')).createExtractionSandbox({ timeoutMs: 60_000, memoryMb: 512 });
  const run = (bytes: Uint8Array): Promise<ExtractionOutcome> =>
    sandbox ? sandbox.run(bytes).then((r) => r.outcome) : pipeline.extractPdf(bytes);
  const docs: ScoredDoc[] = [];
  for (const [i, entry] of manifest.entries()) {
    const bytes = new Uint8Array(await readFile(path.join(a.corpus ?? a.fixtures, entry.file)));
    const t0 = performance.now();
    let outcome: ExtractionOutcome;
    try {
      outcome = await run(bytes);
    } catch (err) {
      // The pipeline's contract is to never throw; a throw is scored as a crash of that document.
      outcome = { error: { code: 'crashed', message: err instanceof Error ? err.message : String(err) } };
    }
    docs.push({ entry, outcome, wallMs: performance.now() - t0 });
    progress('extracting', i + 1, manifest.length);
  }
  await sandbox?.close();
  const report = scoreRun(docs);
  const errors = wrongValues(docs);
  const meta = {
    pipeline: String((pipeline as { PIPELINE_VERSION?: string }).PIPELINE_VERSION ?? 'unknown'),
    fixtures: a.corpus
      ? `corpus ${path.relative(process.cwd(), a.corpus)}`
      : `generator v${GENERATOR_VERSION}, seed ${a.seed}, ${path.relative(process.cwd(), a.fixtures)}`,
    path: a.direct ? 'extractPdf in-process' : 'createExtractionSandbox (worker thread)',
  };
  const resultsPath = a.corpus
    ? path.resolve('bench-output', `corpus-${path.basename(a.corpus)}-results.json`)
    : path.join(path.dirname(a.fixtures), `${path.basename(a.fixtures)}-results.json`);
  await mkdir(path.dirname(resultsPath), { recursive: true });
  await writeFile(
    resultsPath,
    JSON.stringify(
      { meta, report, outcomes: docs.map((d) => ({ file: d.entry.file, wallMs: d.wallMs, outcome: d.outcome })) },
      null,
      1,
    ),
  );
  const text = a.json
    ? JSON.stringify({ meta, report, ...(a.showErrors ? { errors } : {}) }, null, 1)
    : `${formatReport(report, meta)}${a.showErrors ? `\n\nWrong values (${errors.length})\n${formatErrors(errors)}` : ''}`;
  // The pipeline may keep OCR workers alive; exit once the report is flushed.
  process.stdout.write(`${text}\n`, () => process.exit(0));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
