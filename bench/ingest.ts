/**
 * `npm run bench:ingest [-- --clients 100 --files 30 --workers 1]`: N concurrent clients each
 * register, sign, PUT and complete small PDFs against the real server (child process, embedded
 * s3rver, SQLite). Prints p50/p99 of register and complete (and sign/PUT), requests per second,
 * the queue lag from complete to job claimed, and errors. Target: complete p99 < 50 ms, 0 errors.
 * Thirty files per client by default (~4 s): a one-second run measures a single hiccup of this
 * shared machine more than its steady state.
 *
 * Each client first uploads warm-up files (10 by default, `--warmup 0` for none), printed on
 * their own line, apart from the figures and the target: in a freshly started server (and
 * client) the hot functions still run unoptimised while V8's helper threads spend ~1 s of CPU
 * compiling them (TurboFan, measured with perf) on the same two cores. Each client goes on to its
 * measured files as soon as its own warm-up files are done, so the measured part starts in the
 * middle of the traffic, not with all clients starting together. The figures are the steady
 * state of a server that has been up a while.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseFlags } from '../server/config';
import { makePdf, sha256Hex } from '../test/helpers/pdf-fixtures';
import { startTestServer } from '../test/helpers/test-server';

const argv = process.argv.slice(2);
/** `--database postgres`: the central deployment scaled out (ingest-central.ts) instead of this embedded run. */
const central = argv.includes('--database');
const flags = central ? {} : parseFlags(argv, ['--clients', '--files', '--warmup', '--workers', '--store']);
const CLIENTS = Number(flags['--clients'] ?? 100);
const FILES_PER_CLIENT = Number(flags['--files'] ?? 30);
/** Files per client uploaded first, the same way, and reported apart (see the header comment). */
const WARMUP_FILES_PER_CLIENT = Number(flags['--warmup'] ?? 10);
const WORKERS = flags['--workers'] ?? '1';
/** `in-process` (default: s3rver inside the server) or `own-process` (a second server process hosts the store; the API server uses it as external S3). */
const STORE = flags['--store'] ?? 'in-process';

type Timings = Record<'register' | 'sign' | 'put' | 'complete', number[]>;
const timings: Timings = { register: [], sign: [], put: [], complete: [] };
/** The warm-up files' timings, apart. */
const warm: Timings = { register: [], sign: [], put: [], complete: [] };
const errors: string[] = [];
let requests = 0;

/** CPU ms (user + system) and name of a process's threads by thread id (Linux /proc; elsewhere empty). */
function threadCpu(pid: number): Map<number, { name: string; ms: number }> {
  const out = new Map<number, { name: string; ms: number }>();
  const msPerTick = 10; // USER_HZ = 100
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      out.set(Number(tid), { name, ms: (Number(fields[11]) + Number(fields[12])) * msPerTick });
    }
  } catch {
    // Not Linux: no CPU figures.
  }
  return out;
}

function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed<T>(into: Timings, bucket: keyof Timings, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    into[bucket].push(performance.now() - started);
    if (into === timings) requests++;
  }
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * The load generator's HTTP: node:http with kept-alive sockets. It shares the 2 cores with the
 * server it measures, and fetch costs ~4x the CPU of http.request per call here, which showed up
 * as client-side queueing in every latency figure.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string | Uint8Array,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
    const req = http.request(
      url,
      {
        method,
        agent,
        timeout: 30_000,
        headers: { ...headers, ...(payload ? { 'content-length': String(payload.byteLength) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

function call(apiUrl: string, token: string, method: string, route: string, body: unknown): Promise<Answer> {
  return request(
    `${apiUrl}/api/v1${route}`,
    method,
    { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    JSON.stringify(body),
  );
}

async function uploadOne(
  apiUrl: string,
  token: string,
  pdf: Uint8Array,
  name: string,
  into: Timings = timings,
): Promise<void> {
  const reg = await timed(into, 'register', () =>
    call(apiUrl, token, 'POST', '/uploads', { fileName: name, sizeBytes: pdf.byteLength, sha256: sha256Hex(pdf) }),
  );
  if (reg.status !== 201) throw new Error(`register ${reg.status} ${reg.text}`);
  const registered = JSON.parse(reg.text) as { uploadId: string; urls?: Array<{ url: string }> };
  const { uploadId } = registered;
  // As the client does: the register answer's inline part URL when it carries one, else a sign call.
  let urls = registered.urls;
  if (!urls?.length) {
    const signed = await timed(into, 'sign', () =>
      call(apiUrl, token, 'POST', `/uploads/${uploadId}/parts`, { partNumbers: [1] }),
    );
    if (signed.status !== 200) throw new Error(`sign ${signed.status}`);
    urls = (JSON.parse(signed.text) as { urls: Array<{ url: string }> }).urls;
  }
  const put = await timed(into, 'put', () => request(urls[0]!.url, 'PUT', {}, pdf));
  if (put.status !== 200) throw new Error(`put ${put.status}`);
  const done = await timed(into, 'complete', () =>
    call(apiUrl, token, 'POST', `/uploads/${uploadId}/complete`, {
      parts: [{ partNumber: 1, etag: put.headers.etag }],
    }),
  );
  if (done.status !== 202) throw new Error(`complete ${done.status} ${done.text}`);
}

async function main(): Promise<void> {
  const storeHost =
    STORE === 'own-process'
      ? await startTestServer({ env: { CREDMATE_WORKERS: '0', CREDMATE_LOG_LEVEL: 'warn' } })
      : undefined;
  const external: Record<string, string> = storeHost
    ? {
        CREDMATE_STORAGE: 's3',
        CREDMATE_S3_ENDPOINT: storeHost.s3.endpoint,
        CREDMATE_S3_BUCKET: storeHost.s3.bucket,
        CREDMATE_S3_ACCESS_KEY_ID: storeHost.s3.accessKeyId,
        CREDMATE_S3_SECRET_ACCESS_KEY: storeHost.s3.secretAccessKey,
        CREDMATE_LOCAL_ACCOUNT: '1',
      }
    : {};
  // The compiled server, as `npm run credmate -- server` runs it (not the sources through tsx).
  const srv = await startTestServer({
    compiled: true,
    env: { CREDMATE_WORKERS: WORKERS, CREDMATE_LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn', ...external },
    nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean),
  });
  try {
    const token = await srv.login();
    const total = CLIENTS * FILES_PER_CLIENT;
    const pdfsFor = (label: string, filesPerClient: number) =>
      Promise.all(
        Array.from({ length: CLIENTS * filesPerClient }, (_, i) => makePdf(`${label}-${Date.now()}-${i}`, 1)),
      );
    const warmupPdfs = await pdfsFor('warmup', WARMUP_FILES_PER_CLIENT);
    const pdfs = await pdfsFor('bench', FILES_PER_CLIENT);
    // Each client goes on from its warm-up files to its measured ones without waiting for the
    // others: a round that started all clients at once would open with 100 completes arriving
    // together, a burst that the steady state does not have (it made most of one run's p99).
    let measuredFrom = 0;
    let cpuBefore = { client: process.cpuUsage(), server: threadCpu(srv.proc.pid!) };
    const upload = (pdf: Uint8Array, name: string, into?: Timings) =>
      uploadOne(srv.apiUrl, token, pdf, name, into).catch((err: unknown) =>
        errors.push(err instanceof Error ? err.message : String(err)),
      );
    const warmStarted = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let f = 0; f < WARMUP_FILES_PER_CLIENT; f++)
          await upload(warmupPdfs[c * WARMUP_FILES_PER_CLIENT + f]!, `warmup-${c}-${f}.pdf`, warm);
        if (!measuredFrom) {
          // The CPU and wall-clock figures start with the first measured file.
          measuredFrom = performance.now();
          cpuBefore = { client: process.cpuUsage(), server: threadCpu(srv.proc.pid!) };
        }
        for (let f = 0; f < FILES_PER_CLIENT; f++) await upload(pdfs[c * FILES_PER_CLIENT + f]!, `bench-${c}-${f}.pdf`);
      }),
    );
    const wallMs = performance.now() - measuredFrom;
    const clientCpu = process.cpuUsage(cpuBefore.client);
    const serverCpu = threadCpu(srv.proc.pid!);
    if (WARMUP_FILES_PER_CLIENT > 0) {
      console.log(
        `warm-up   ${CLIENTS} clients x ${WARMUP_FILES_PER_CLIENT} files on the cold server, ${((measuredFrom - warmStarted) / 1000).toFixed(2)} s (not in the figures below): ` +
          `register p50 ${pct(warm.register, 50).toFixed(1)} ms p99 ${pct(warm.register, 99).toFixed(1)} ms; complete p50 ${pct(warm.complete, 50).toFixed(1)} ms p99 ${pct(warm.complete, 99).toFixed(1)} ms`,
      );
    }
    const mainRequests = requests;
    const phase = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, [...v]])) as typeof timings;

    // Queue lag: wait until every job was claimed once, then read enqueue → first claim from the database.
    const db = new Database(path.join(srv.dataDir, 'server', 'credmate.sqlite'), { readonly: true });
    const deadline = Date.now() + 10 * 60_000;
    while (Date.now() < deadline && Number(WORKERS) > 0) {
      const { waiting } = db.prepare('SELECT COUNT(*) AS waiting FROM jobs WHERE first_claimed_at IS NULL').get() as {
        waiting: number;
      };
      if (waiting === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    // Pick-up lag with an idle worker: once the backlog is extracted, one file at a time.
    const idleLags: number[] = [];
    if (Number(WORKERS) > 0) {
      const busy = () =>
        (db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running')").get() as { n: number }).n;
      while (Date.now() < deadline && busy() > 0) await new Promise((r) => setTimeout(r, 250));
      for (let i = 0; i < 5; i++) {
        const pdf = await makePdf(`idle-${Date.now()}-${i}`, 1);
        await uploadOne(srv.apiUrl, token, pdf, 'idle.pdf', { register: [], sign: [], put: [], complete: [] });
        const row = () =>
          db
            .prepare('SELECT first_claimed_at - enqueued_at AS lag, state FROM jobs ORDER BY id DESC LIMIT 1')
            .get() as { lag: number | null; state: string };
        while (row().lag === null || row().state === 'running') await new Promise((r) => setTimeout(r, 50));
        idleLags.push(row().lag as number);
      }
    }
    const measuredJobs =
      "FROM jobs JOIN documents ON documents.id = jobs.document_id WHERE documents.file_name LIKE 'bench-%'";
    const lags = db
      .prepare(`SELECT first_claimed_at - enqueued_at AS lag ${measuredJobs} AND first_claimed_at IS NOT NULL`)
      .pluck()
      .all() as number[];
    const measuredJobCount = db.prepare(`SELECT COUNT(*) ${measuredJobs}`).pluck().get() as number;
    db.close();

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const line = (name: keyof typeof phase) =>
      phase[name].length === 0
        ? `${name.padEnd(9)} n=0  (none needed: the register answers carried the part URLs)`
        : `${name.padEnd(9)} n=${phase[name].length}  p50 ${ms(pct(phase[name], 50))}  p99 ${ms(pct(phase[name], 99))}  max ${ms(Math.max(...phase[name]))}`;
    console.log(
      `bench:ingest  ${CLIENTS} concurrent clients x ${FILES_PER_CLIENT} files (${pdfs[0]!.byteLength} B PDFs), ${WORKERS} extraction worker(s), embedded s3rver ${STORE}`,
    );
    for (const k of ['register', 'sign', 'put', 'complete'] as const) console.log(line(k));
    console.log(
      `requests  ${mainRequests} in ${(wallMs / 1000).toFixed(2)} s = ${(mainRequests / (wallMs / 1000)).toFixed(0)} req/s (API + part PUTs); ${(total / (wallMs / 1000)).toFixed(1)} files/s`,
    );
    console.log(
      `queue lag complete -> claimed  n=${lags.length}/${measuredJobCount}  p50 ${ms(pct(lags, 50))}  p99 ${ms(pct(lags, 99))}  max ${ms(Math.max(...lags))}  (includes waiting behind earlier jobs: one worker extracts serially)`,
    );
    const handled = srv.logs().filter((l) => l.event === 'http.request' && typeof l.ms === 'number');
    for (const route of [...new Set(handled.map((l) => String(l.route)))]) {
      const ms = handled.filter((l) => l.route === route).map((l) => l.ms as number);
      console.log(
        `server-side ${route}  n=${ms.length}  p50 ${pct(ms, 50).toFixed(1)} ms  p99 ${pct(ms, 99).toFixed(1)} ms`,
      );
    }
    const steps = srv.logs().filter((l) => l.event === 'upload.complete_steps');
    for (const k of ['storeCompleteMs', 'headMs', 'commitMs']) {
      const ms = steps.map((l) => l[k] as number);
      if (ms.length) console.log(`server-side complete step ${k}  p50 ${pct(ms, 50)}  p99 ${pct(ms, 99)}`);
    }
    if (idleLags.length)
      console.log(
        `idle worker pick-up lag complete -> claimed (5 single uploads after the backlog): ${idleLags.map((l) => `${l} ms`).join(', ')}`,
      );
    const serverPid = srv.proc.pid!;
    const used = (tids: number[]) =>
      tids.reduce((sum, tid) => sum + (serverCpu.get(tid)?.ms ?? 0) - (cpuBefore.server.get(tid)?.ms ?? 0), 0);
    if (serverCpu.size) {
      console.log(
        `CPU       client ${((clientCpu.user + clientCpu.system) / 1000).toFixed(0)} ms; server ${used([...serverCpu.keys()])} ms (API thread ${used([serverPid])} ms); ` +
          `the ${os.availableParallelism()} cores had ${(os.availableParallelism() * wallMs).toFixed(0)} ms (the extraction worker's process not included)`,
      );
      // The server's own threads name themselves (thread-priority.ts); V8's and libuv's are all "node".
      const byName = new Map<string, number[]>();
      for (const [tid, { name }] of serverCpu)
        if (tid !== serverPid) byName.set(name, [...(byName.get(name) ?? []), tid]);
      const parts = [...byName].map(
        ([name, tids]) => `${name === 'node' ? 'V8 and libuv helpers' : name} ${used(tids)} ms`,
      );
      console.log(`          server threads besides the API thread: ${parts.join(', ')}`);
    }
    console.log(`errors    ${errors.length}${errors.length ? `  first: ${errors[0]}` : ''}`);
    console.log(`target    complete p99 < 50 ms: ${pct(phase.complete, 99) < 50 ? 'met' : 'NOT met'}`);
    if (errors.length) process.exitCode = 1;
  } finally {
    await srv.stop();
    await storeHost?.stop();
  }
}

(central ? import('./ingest-central').then((m) => m.main()) : main()).catch((err: unknown) => {
  console.error(`bench:ingest: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
