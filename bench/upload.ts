/**
 * `npm run bench:upload [-- --small | --shape mixed|small-files|many|10k] [--concurrency N] [--cold-session] [--ours-only]`: our import
 * against `aws s3 cp --recursive`, `rclone copy` and a raw parallel PUT loop (the store's ceiling),
 * each to a fresh embedded store of the bundled server (same configuration), on the same generated
 * folder, in one run. Prints wall time, MB/s, ratios, and for our import where the time went.
 * Shapes: `mixed` (default: 1,000 files of 50 kB-3 MB and three scans of 50-200 MB, where every tool
 * waits on the store), `small-files` (400 × 350 kB + 3 × 40 MB, a provider's folder) and `many`
 * (5,000 × 60 kB), where a per-file or per-run fixed cost dominates (issue 17).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { startBundledServer, type BundledServer } from '../main/core/bundled-server/start-bundled-server';
import type { ImportTimings } from '../main/core/import-run/import-folder';
import { DEFAULT_CONCURRENCY } from '../main/core/upload/upload-engine';
import { readLocalAccount } from '../node-shared/local-account-file';
import { generateFolder, type FolderSpec } from './upload/generate-folder';
import { killAndResume } from './upload/kill-resume';
import { awsCopy, ensurePeers, peerVersions, rcloneCopy } from './upload/peer-commands';
import { rawPutCeiling, type StoreTarget } from './upload/raw-put-ceiling';
import { processCpuSeconds, runTimed, threadCpuLine, threadCpuSeconds, type TimedRun } from './upload/run-timed';

const MB = 1e6;
const args = process.argv.slice(2);
const small = args.includes('--small');
const concurrencyArg = args.indexOf('--concurrency');
const concurrency = concurrencyArg >= 0 ? Number(args[concurrencyArg + 1]) : DEFAULT_CONCURRENCY;
const shapeArg = args.indexOf('--shape');
const coldSession = args.includes('--cold-session');
// While tuning: our import alone (no ratios; compare ratios only from full runs).
const oursOnly = args.includes('--ours-only');
const SHAPES: Record<'small' | 'mixed' | 'small-files' | 'many' | '10k', FolderSpec> = {
  small: { smallCount: 100, smallMin: 50e3, smallMax: 1e6, largeSizes: [60e6] },
  mixed: { smallCount: 1000, smallMin: 50e3, smallMax: 3e6, largeSizes: [50e6, 120e6, 200e6] },
  'small-files': { smallCount: 400, smallMin: 350e3, smallMax: 350e3, largeSizes: [40e6, 40e6, 40e6] },
  many: { smallCount: 5000, smallMin: 60e3, smallMax: 60e3, largeSizes: [] },
  // For the first byte and memory on a big folder (issue 17: 10,000 files), kept small on disk.
  '10k': { smallCount: 10000, smallMin: 30e3, smallMax: 30e3, largeSizes: [] },
};
const shape = (shapeArg >= 0 ? args[shapeArg + 1] : small ? 'small' : 'mixed') as keyof typeof SHAPES;
if (!(shape in SHAPES)) throw new Error(`bench: --shape is one of ${Object.keys(SHAPES).join(', ')}`);
// 'full' keeps the folder earlier runs generated for the default shape.
const root = resolve('bench-output', 'upload', shape === 'mixed' ? 'full' : shape);
const spec = SHAPES[shape];

interface Row {
  name: string;
  seconds: number;
  bytes: number;
  ok: boolean;
  /** CPU seconds of the tool itself, and of the server process (API + store thread) meanwhile. */
  cpu?: number;
  /** Our import's own timing from its summary: scan to last complete, without process start and sign-in. */
  inProcessSeconds?: number;
  serverCpu?: number;
  note?: string;
  /** Our import only: seconds per phase (phaseLine). */
  phases?: string;
  /** Our import only: the server's CPU seconds by thread during the timed import. */
  serverThreads?: string;
}

/**
 * Runs one tool and adds the server's CPU seconds spent meanwhile to its row. Each starts with no
 * dirty pages: otherwise the previous tool's gigabyte is still being written back during its run.
 */
async function measured(server: BundledServer, run: () => Promise<Row>): Promise<Row> {
  execFileSync('sync');
  const before = processCpuSeconds(server.child.pid);
  const row = await run();
  // Our row brings its own figure: the timed import only, without the warm-up's sign-in (a scrypt).
  return { ...row, serverCpu: row.serverCpu ?? processCpuSeconds(server.child.pid) - before };
}

/** The raw PUT loop runs in this process: its CPU is this process's. */
async function ceilingRow(name: string, run: () => Promise<{ seconds: number; bytes: number }>): Promise<Row> {
  const before = process.cpuUsage();
  const r = await run();
  const used = process.cpuUsage(before);
  return {
    name,
    seconds: r.seconds,
    bytes: r.bytes,
    ok: true,
    cpu: (used.user + used.system) / 1e6,
    note: 'no hashing, no API',
  };
}

async function startServer(
  tag: string,
): Promise<{ server: BundledServer; target: StoreTarget; email: string; password: string }> {
  const dataDir = join(root, `server-${tag}`);
  rmSync(dataDir, { recursive: true, force: true });
  const accessKeyId = `BENCH${randomBytes(6).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(24).toString('base64url');
  const server = await startBundledServer({
    dataDir,
    args: ['--port', '0', '--workers', '0'],
    // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server
    nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean),
    env: {
      CREDMATE_S3_ACCESS_KEY_ID: accessKeyId,
      CREDMATE_S3_SECRET_ACCESS_KEY: secretAccessKey,
      CREDMATE_LOG_LEVEL: 'warn',
    },
  });
  const acct = readLocalAccount(dataDir);
  if (!acct) throw new Error('bench: the bundled server wrote no local account');
  return { server, target: { ...server.s3, accessKeyId, secretAccessKey }, email: acct.email, password: acct.password };
}

async function ours(folder: string, s: Awaited<ReturnType<typeof startServer>>, tag: string): Promise<Row> {
  const clientDir = join(root, `client-${tag}`);
  rmSync(clientDir, { recursive: true, force: true });
  const importArgs = (dir: string): string[] => [
    resolve('scripts/credmate.mjs'),
    'import',
    dir,
    // `=`: a value starting with '-' would otherwise read as an option.
    '--server',
    s.server.apiUrl,
    `--email=${s.email}`,
    `--password=${s.password}`,
    '--data-dir',
    clientDir,
    '--json',
    '--concurrency',
    String(concurrency),
  ];
  // As a coordinator's second import: signed in before (the token is kept in the data dir), and the
  // compiled command line built (a build follows source edits, which a user's install never makes).
  // --cold-session measures a first import instead.
  if (!coldSession) {
    const empty = join(root, `empty-${tag}`);
    mkdirSync(empty, { recursive: true });
    await runTimed(process.execPath, importArgs(empty));
  }
  const serverPid = s.server.child.pid;
  const cpuBefore = processCpuSeconds(serverPid);
  const threadsBefore = threadCpuSeconds(serverPid);
  const run = await runTimed(process.execPath, [
    // e.g. BENCH_CLIENT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile our import
    ...(process.env.BENCH_CLIENT_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ...importArgs(folder),
  ]);
  const serverCpu = processCpuSeconds(serverPid) - cpuBefore;
  const serverThreads = threadCpuLine(threadsBefore, threadCpuSeconds(serverPid));
  // e.g. BENCH_CLIENT_STDERR=/tmp/import.err keeps what our import wrote on stderr
  if (process.env.BENCH_CLIENT_STDERR) writeFileSync(process.env.BENCH_CLIENT_STDERR, run.stderr);
  let note = '';
  let bytes = 0;
  let inProcessSeconds: number | undefined;
  let phases: string | undefined;
  try {
    const sum = JSON.parse(run.stdout) as {
      counts: Record<string, number>;
      bytes: { total: number; sent: number };
      seconds: number;
      timings?: ImportTimings;
    };
    bytes = sum.bytes.total;
    note = `uploaded ${sum.counts.uploaded}, failed ${sum.counts.failed}, in-process ${sum.seconds} s`;
    inProcessSeconds = sum.seconds;
    if (sum.timings) phases = phaseLine(sum.timings, run.seconds);
  } catch {
    note = run.stderr.slice(-300);
  }
  return {
    name: `credmate import (concurrency ${concurrency})`,
    seconds: run.seconds,
    bytes,
    ok: run.code === 0,
    cpu: run.cpuSeconds,
    inProcessSeconds,
    serverCpu,
    note,
    phases,
    serverThreads,
  };
}

/**
 * Where our import's wall time went, from the marks it reports (ms since its process started):
 * process start to the import's start (Node, modules, connecting), sign-in (in parallel with the
 * scan), scan and hash, first byte (catch-up, register, sign after both), the transfer (first to
 * last part), completes (last part to idle), waiting/summary, and exit (the rest of the wall time).
 */
function phaseLine(t: ImportTimings, wallSeconds: number): string {
  const s = (from: number | null, to: number | null) =>
    from === null || to === null ? 'n/a' : `${((to - from) / 1000).toFixed(2)}`;
  const exit = t.done === null ? 'n/a' : (wallSeconds - t.done / 1000).toFixed(2);
  return [
    `process start ${s(0, t.importStart)}`,
    `sign-in ${s(t.importStart, t.signedIn)}`,
    `catch-up ${s(t.importStart, t.catchUpDone)}`,
    `scan+hash ${s(t.importStart, t.scanDone)}`,
    `first byte ${s(t.importStart, t.firstPartSent)}`,
    `transfer ${s(t.firstPartSent, t.lastPartSent)}`,
    `complete ${s(t.lastPartSent, t.uploadsIdle)}`,
    `waiting ${s(t.uploadsIdle, t.done)}`,
    `exit ${exit}`,
    ...(t.peakRssMb !== undefined ? [`peak RSS ${t.peakRssMb} MB`] : []),
    ...(t.maxLoopDelayMs !== undefined ? [`longest event-loop stall ${t.maxLoopDelayMs} ms`] : []),
  ].join(' | ');
}

function print(title: string, rows: Row[]): void {
  const base = rows[0] as Row;
  console.log(`\n${title}`);
  console.log(
    `${'tool'.padEnd(36)} ${'wall s'.padStart(8)} ${'MB/s'.padStart(8)} ${'ours vs it'.padStart(11)} ${'CPU s'.padStart(7)} ${'server CPU s'.padStart(13)}  notes`,
  );
  const cpu = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(1));
  for (const r of rows) {
    const mbps = r.bytes / MB / r.seconds;
    const ratio = r === base ? '' : `${(r.seconds / base.seconds).toFixed(2)}x`;
    console.log(
      `${r.name.padEnd(36)} ${r.seconds.toFixed(2).padStart(8)} ${mbps.toFixed(1).padStart(8)} ${ratio.padStart(11)} ${cpu(r.cpu).padStart(7)} ${cpu(r.serverCpu).padStart(13)}  ${r.ok ? '' : 'FAILED '}${r.note ?? ''}`,
    );
    if (r.phases) console.log(`${''.padEnd(36)} phases (s): ${r.phases}`);
    if (r.serverThreads) console.log(`${''.padEnd(36)} server CPU s by thread: ${r.serverThreads}`);
  }
}

async function main(): Promise<void> {
  ensurePeers();
  mkdirSync(root, { recursive: true });
  const f = generateFolder(join(root, 'folder'), spec);
  const folder = join(root, 'folder');
  const v = peerVersions();
  console.log(
    `bench:upload --shape ${shape} folder: ${f.files} files, ${(f.bytes / MB).toFixed(0)} MB (${spec.smallCount} of ${spec.smallMin / 1e3} kB-${spec.smallMax / MB} MB, large: ${spec.largeSizes.map((b) => `${b / MB} MB`).join(', ')})`,
  );
  console.log(
    `machine: ${cpus().length} CPUs; ${v.aws}; ${v.rclone}; store: embedded s3rver in a thread of the bundled server process (workers off), a fresh one per tool`,
  );
  console.log('"ours vs it" = their wall time / ours (above 1: we are faster).');

  // 1. The whole folder: each tool to a fresh server and store of its own (an empty bucket for
  // every one: a store already holding another tool's gigabyte answered slower).
  const peer = (name: string, r: TimedRun): Row => ({
    name,
    seconds: r.seconds,
    bytes: f.bytes,
    ok: r.code === 0,
    cpu: r.cpuSeconds,
    note: r.code === 0 ? '' : r.stderr.slice(-200),
  });
  const onFreshServer = async (
    tag: string,
    run: (s: Awaited<ReturnType<typeof startServer>>) => Promise<Row>,
  ): Promise<Row> => {
    const s = await startServer(tag);
    try {
      return await measured(s.server, () => run(s));
    } finally {
      await s.server.stop();
    }
  };
  const rows: Row[] = [await onFreshServer('all', (s) => ours(folder, s, 'all'))];
  if (!oursOnly) {
    rows.push(
      await onFreshServer('aws', async (s) =>
        peer('aws s3 cp --recursive (defaults)', await awsCopy(folder, s.target, 'aws')),
      ),
      await onFreshServer('rclone', async (s) =>
        peer('rclone copy (defaults)', await rcloneCopy(folder, s.target, 'rclone')),
      ),
      await onFreshServer('raw', (s) =>
        ceilingRow(`raw PUT loop (ceiling, concurrency ${concurrency})`, () =>
          rawPutCeiling([f.small, f.large], s.target, 'raw', concurrency),
        ),
      ),
    );
  }
  print(`Whole folder (${f.files} files, ${(f.bytes / MB).toFixed(0)} MB)`, rows);

  // The large-file sections measure throughput and resume, which the small-file shapes are not about.
  if (!oursOnly && (shape === 'mixed' || shape === 'small')) {
    await largeFilesOnly(f.large);
    await resumeAfterKill(f.large);
  }
}

/** 2. Large files only, fresh store (so nothing is a duplicate): ours against the ceiling. */
async function largeFilesOnly(largeDir: string): Promise<void> {
  const b = await startServer('large');
  try {
    const large = await measured(b.server, () => ours(largeDir, b, 'large'));
    const ceil = await measured(b.server, () =>
      ceilingRow(`raw PUT loop (ceiling, concurrency ${concurrency})`, () =>
        rawPutCeiling([largeDir], b.target, 'raw-large', concurrency),
      ),
    );
    const largeBytes = spec.largeSizes.reduce((x, y) => x + y, 0);
    print(`Large files only (${spec.largeSizes.length} files, ${(largeBytes / MB).toFixed(0)} MB)`, [large, ceil]);
    // The ceiling loop runs inside this process: no process start, no sign-in. Both ratios, then.
    const pct = (ours?: number) => (ours ? `${((ceil.seconds / ours) * 100).toFixed(0)}%` : 'n/a');
    console.log(
      `ours / ceiling throughput on large files: ${pct(large.seconds)} process start to exit, ${pct(large.inProcessSeconds)} in-process (target: at least 80%)`,
    );
  } finally {
    await b.server.stop();
  }
}

/** 3. Resume after SIGKILL: what the restarted import sends beyond the bytes still missing. */
async function resumeAfterKill(largeDir: string): Promise<void> {
  const c = await startServer('kill');
  try {
    const clientDir = join(root, 'client-kill');
    rmSync(clientDir, { recursive: true, force: true });
    const largeBytes = spec.largeSizes.reduce((x, y) => x + y, 0);
    const k = await killAndResume(
      largeDir,
      largeBytes,
      [
        '--server',
        c.server.apiUrl,
        `--email=${c.email}`,
        `--password=${c.password}`,
        '--data-dir',
        clientDir,
        '--json',
        '--concurrency',
        String(concurrency),
      ],
      clientDir,
      concurrency,
      5 * 1024 * 1024,
    );
    console.log(
      `\nResume after SIGKILL at ~1/3 (large files): ${(k.recordedBeforeKill / MB).toFixed(1)} MB recorded before the kill, ${(k.sentAfterRestart / MB).toFixed(1)} MB sent after restart, re-sent ${(k.resentBytes / MB).toFixed(1)} MB (bound: ${concurrency} parts in flight = ${(k.partsInFlightBound / MB).toFixed(1)} MB)`,
    );
  } finally {
    await c.server.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:upload failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
