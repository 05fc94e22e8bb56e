/**
 * `npm run bench:ingest -- --database postgres [--clients 10] [--files 10]`: the central deployment
 * scaled out, measured in one run. A throwaway PostgreSQL cluster, a standalone store, and two
 * set-ups one after the other on fresh databases: 1 API process with 1 worker process, then 2 API
 * processes (behind a round-robin proxy) with 3 workers. The same clients upload the same number of
 * one-page PDFs (register, sign, PUT, complete) through the proxy; printed side by side: uploads
 * per second, complete p50/p99, and extractions per second until every document is extracted.
 *
 * The machine's cores bound what a second API process can add here (2 cores run every process
 * of both set-ups, the load generator included): the scaling factor is this machine's, not a
 * property of the design.
 */
import pg from 'pg';
import type { RegisterUploadResponse, SignPartsResponse } from '../common/api';
import { parseFlags } from '../server/config';
import { makePdf, sha256Hex } from '../test/helpers/pdf-fixtures';
import { startCentralDeployment, type CentralDeployment } from '../test/support/central-deployment';
import { startPostgresCluster } from '../test/support/postgres-cluster';

const flags = parseFlags(process.argv.slice(2), ['--database', '--clients', '--files']);
if (flags['--database'] !== 'postgres')
  throw new Error('bench:ingest: --database takes postgres (the embedded SQLite run has no flag).');
const CLIENTS = Number(flags['--clients'] ?? 10);
const FILES = Number(flags['--files'] ?? 10);
const USER = { org: 'Bench Clinic', email: 'bench@central.example', password: 'a-long-bench-password-1' };

interface Outcome {
  label: string;
  uploads: number;
  uploadSeconds: number;
  completeMs: number[];
  extractSeconds: number;
}

async function api<T>(base: string, token: string | null, method: string, route: string, body?: unknown) {
  const res = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function uploadOne(base: string, token: string, bytes: Uint8Array, completeMs: number[]): Promise<void> {
  const reg = await api<RegisterUploadResponse>(base, token, 'POST', '/uploads', {
    fileName: 'bench.pdf',
    sizeBytes: bytes.byteLength,
    sha256: sha256Hex(bytes),
  });
  if (reg.outcome === 'duplicate') throw new Error('a bench file was a duplicate: the files must differ');
  const signed = await api<SignPartsResponse>(base, token, 'POST', `/uploads/${reg.uploadId}/parts`, {
    partNumbers: [1],
  });
  const put = await fetch(signed.urls[0]!.url, { method: 'PUT', body: bytes, signal: AbortSignal.timeout(60_000) });
  if (!put.ok) throw new Error(`PUT: ${put.status}`);
  const started = performance.now();
  await api(base, token, 'POST', `/uploads/${reg.uploadId}/complete`, {
    parts: [{ partNumber: 1, etag: put.headers.get('etag') ?? '' }],
  });
  completeMs.push(performance.now() - started);
}

async function extracted(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(DISTINCT document_id) AS n FROM extractions');
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function measure(label: string, deployment: CentralDeployment, files: Uint8Array[][]): Promise<Outcome> {
  const token = (
    await api<{ token: string }>(deployment.url, null, 'POST', '/auth/login', {
      email: USER.email,
      password: USER.password,
    })
  ).token;
  const completeMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    files.map(async (own) => {
      for (const bytes of own) await uploadOne(deployment.url, token, bytes, completeMs);
    }),
  );
  const uploadSeconds = (performance.now() - started) / 1000;
  const total = files.flat().length;
  while ((await extracted(deployment.databaseUrl)) < total) await new Promise((r) => setTimeout(r, 250));
  return { label, uploads: total, uploadSeconds, completeMs, extractSeconds: (performance.now() - started) / 1000 };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function main(): Promise<void> {
  const cluster = await startPostgresCluster();
  const outcomes: Outcome[] = [];
  try {
    for (const [i, setup] of [
      { apis: 1, workers: 1 },
      { apis: 2, workers: 3 },
    ].entries()) {
      const files = await Promise.all(
        Array.from({ length: CLIENTS }, (_, c) =>
          Promise.all(Array.from({ length: FILES }, (_, f) => makePdf(`bench ${i} client ${c} file ${f}`, 1))),
        ),
      );
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE bench_${i}`);
      await admin.end();
      const url = new URL(cluster.url);
      url.pathname = `/bench_${i}`;
      const deployment = await startCentralDeployment({ databaseUrl: url.toString(), ...setup, users: [USER] });
      try {
        outcomes.push(await measure(`${setup.apis} API, ${setup.workers} worker(s)`, deployment, files));
      } finally {
        await deployment.stop();
      }
    }
  } finally {
    await cluster.stop();
  }
  console.log(`bench:ingest --database postgres: ${CLIENTS} clients x ${FILES} one-page PDFs per set-up`);
  console.log('set-up                    uploads/s  complete p50 ms  complete p99 ms  extracted/s');
  for (const o of outcomes)
    console.log(
      `${o.label.padEnd(25)} ${(o.uploads / o.uploadSeconds).toFixed(1).padStart(9)}  ${percentile(o.completeMs, 50)
        .toFixed(0)
        .padStart(15)}  ${percentile(o.completeMs, 99).toFixed(0).padStart(15)}  ${(o.uploads / o.extractSeconds)
        .toFixed(2)
        .padStart(11)}`,
    );
  const [one, two] = outcomes;
  if (one && two)
    console.log(
      `scaling (second / first): uploads ${(two.uploads / two.uploadSeconds / (one.uploads / one.uploadSeconds)).toFixed(2)}x, extraction ${(one.extractSeconds / two.extractSeconds).toFixed(2)}x`,
    );
}
