/**
 * `credmate worker`: extraction workers as their own process, beside a `credmate server --workers 0`
 * (or any server) on the same data dir. It supervises N worker processes (worker-entry.ts, the ones
 * the server forks: one job at a time each, restarted when they die) on the data dir's SQLite
 * database, which WAL makes safe to share between processes of one machine; the leases in the jobs
 * table keep two workers off one job, and a killed worker's job goes to another when its lease runs out.
 * With --database-url, on any machine: jobs from pg-boss in the central PostgreSQL database (its
 * expiry gives a killed worker's job to another), objects from S3 or a standalone store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../common/errors';
import { defaultDataDir, loadServerConfig, parseFlags, serverStateDir, type ServerConfig } from '../config';
import { chooseDatabase, parseDatabaseUrl, type DatabaseUrl } from '../db/database-url';
import { createPostgresPool } from '../db/postgres-pool';
import { databasePath, openDatabase } from '../db/open';
import type { Logger } from '../log';
import { createS3Client } from '../storage/s3-client';
import { checkBucket } from '../storage/startup-check';
import { WORKER_CONFIG_FILE, workerBaseOf, type WorkerConfig } from './worker-config';
import { startWorkerPool, type SpawnWorker, type WorkerPool } from './worker-pool';

/** The server's storage flags pass through to its config loader, so both read storage the same way. */
const STORAGE_FLAGS = ['--storage', '--s3-bucket', '--s3-region', '--s3-endpoint', '--log-level'] as const;
export const WORKER_FLAGS = ['--data-dir', '--database-url', '--concurrency', ...STORAGE_FLAGS];
const MAX_CONCURRENCY = 16;
const STORAGE_CHECK_DEADLINE_MS = 7_000;

export interface StandaloneWorkerConfig {
  concurrency: number;
  base: Omit<WorkerConfig, 'workerId'>;
  /** Where the objects are read from, for the log and error messages. */
  storageLabel: string;
  drainTimeoutMs: number;
  /** The PostgreSQL database's URL without its password, for messages (absent on SQLite). */
  databaseLabel?: string;
}

function concurrencyOf(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY)
    throw new AppError(
      'invalid_input',
      `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (worker processes, one job each); got "${raw}".`,
    );
  return n;
}

/**
 * The embedded store lives inside the server process, at an address it reports in the worker
 * config file it writes at start (worker-config.ts): read the store's address and keys from there.
 */
function embeddedStoreOf(dataDir: string): Pick<WorkerConfig, 's3' | 'bucket'> {
  const file = path.join(serverStateDir(dataDir), WORKER_CONFIG_FILE);
  if (!fs.existsSync(file))
    throw new AppError(
      'invalid_input',
      `No running server's embedded store is known for ${dataDir} (${file} is missing). Start \`credmate server --data-dir ${dataDir}\` first, or give the worker the store's address with --s3-endpoint and --s3-bucket.`,
    );
  const written = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkerConfig;
  return { s3: written.s3, bucket: written.bucket };
}

function s3TargetOf(s: Extract<ServerConfig['storage'], { mode: 's3' }>): WorkerConfig['s3'] {
  return {
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    credentials:
      s.accessKeyId && s.secretAccessKey
        ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }
        : undefined,
  };
}

/** Reads the worker's options over the server's CREDMATE_* environment; refuses what it cannot serve. */
export function loadWorkerConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): StandaloneWorkerConfig {
  const flags = parseFlags(argv, WORKER_FLAGS);
  const concurrency = concurrencyOf(flags['--concurrency']);
  const choice = chooseDatabase(
    { dataDir: flags['--data-dir'], databaseUrl: flags['--database-url'] },
    defaultDataDir(env),
    env,
  );
  const passed = STORAGE_FLAGS.flatMap((f) => (flags[f] === undefined ? [] : [f, flags[f] as string]));
  const config = loadServerConfig([...passed, '--data-dir', path.resolve(choice.dataDir)], env);
  if (choice.databaseUrl) return centralWorkerConfig(config, concurrency, choice.databaseUrl);
  if (!fs.existsSync(databasePath(config.dataDir)))
    throw new AppError(
      'invalid_input',
      `No server database in ${config.dataDir} (${databasePath(config.dataDir)} is missing). Give --data-dir the directory a \`credmate server\` runs on; the server creates and migrates the database.`,
    );
  const s = config.storage;
  const store = s.mode === 'embedded' ? embeddedStoreOf(config.dataDir) : { bucket: s.bucket, s3: s3TargetOf(s) };
  return {
    concurrency,
    storageLabel: store.s3.endpoint ?? `https://s3.${store.s3.region}.amazonaws.com`,
    drainTimeoutMs: config.drainTimeoutMs,
    base: workerBaseOf(config, store),
  };
}

/**
 * A worker on the central PostgreSQL database: jobs from pg-boss, documents in PostgreSQL, objects in
 * S3 or a standalone store (`credmate store`): an embedded store lives inside one server process.
 */
function centralWorkerConfig(config: ServerConfig, concurrency: number, url: DatabaseUrl): StandaloneWorkerConfig {
  const s = config.storage;
  if (s.mode === 'embedded')
    throw new AppError(
      'invalid_input',
      `A worker on PostgreSQL (${url.redacted}) reads documents from the deployment's S3 bucket or standalone store: give --s3-endpoint and --s3-bucket (\`credmate store\` prints them), with the keys in CREDMATE_S3_ACCESS_KEY_ID and CREDMATE_S3_SECRET_ACCESS_KEY.`,
    );
  const store = { bucket: s.bucket, s3: s3TargetOf(s) };
  return {
    concurrency,
    storageLabel: store.s3.endpoint ?? `https://s3.${store.s3.region}.amazonaws.com`,
    drainTimeoutMs: config.drainTimeoutMs,
    base: { ...workerBaseOf(config, store), databaseUrl: url.url },
    databaseLabel: url.redacted,
  };
}

/** The PostgreSQL database answers and holds the server's schema (documents, the job outcomes), else one message saying so. */
async function checkCentralDatabase(url: string, label: string): Promise<void> {
  const pool = createPostgresPool(parseDatabaseUrl(url), { max: 1, applicationName: 'credmate-worker-check' });
  try {
    const { rows } = await pool.query<{ documents: string | null; outcomes: string | null }>(
      "SELECT to_regclass('documents')::text AS documents, to_regclass('credmate_job_outcomes')::text AS outcomes",
    );
    if (!rows[0]?.documents || !rows[0]?.outcomes)
      throw new Error('the credmate schema is missing or older than this worker');
  } catch (err) {
    throw new Error(
      `Database check failed for ${label}: ${err instanceof Error ? err.message : String(err)}. Start \`credmate server --database-url …\` on it once (it applies the migrations), then the workers.`,
      { cause: err },
    );
  } finally {
    await pool.end();
  }
}

/** The database opens and has the jobs table (a migrated server database), else one message saying so. */
function checkDatabase(dataDir: string): void {
  try {
    const db = openDatabase(dataDir, { migrate: false });
    try {
      db.prepare('SELECT 1 FROM jobs LIMIT 1').get();
    } finally {
      db.close();
    }
  } catch (err) {
    throw new Error(
      `Database check failed for ${dataDir}: ${err instanceof Error ? err.message : String(err)}. Start \`credmate server --data-dir ${dataDir}\` once to create and migrate it.`,
      { cause: err },
    );
  }
}

/** Checks the database and the bucket (refusing to start when either fails), then starts the worker processes. */
export async function startStandaloneWorker(
  config: StandaloneWorkerConfig,
  log: Logger,
  spawn?: SpawnWorker,
): Promise<WorkerPool> {
  if (config.base.databaseUrl)
    await checkCentralDatabase(config.base.databaseUrl, config.databaseLabel ?? 'PostgreSQL');
  else checkDatabase(config.base.dataDir);
  const probe = createS3Client(config.base.s3, {
    connectTimeoutMs: Math.min(config.base.deadlines.connectTimeoutMs, 3000),
    requestTimeoutMs: STORAGE_CHECK_DEADLINE_MS,
    maxAttempts: 1,
  });
  try {
    await checkBucket(probe, config.base.bucket, config.storageLabel, STORAGE_CHECK_DEADLINE_MS);
  } finally {
    probe.destroy();
  }
  return startWorkerPool(config.concurrency, config.base, log, spawn);
}
