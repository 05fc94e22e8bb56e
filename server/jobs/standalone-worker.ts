/**
 * `credmate worker`: extraction workers as their own process, beside a `credmate server --workers 0`
 * (or any server) on the same data dir. It supervises N worker processes (worker-entry.ts, the ones
 * the server forks: one job at a time each, restarted when they die) on the data dir's SQLite
 * database, which WAL makes safe to share between processes of one machine; the leases in the jobs
 * table keep two workers off one job, and a killed worker's job goes to another when its lease runs out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../common/errors';
import { defaultDataDir, loadServerConfig, parseFlags, serverStateDir } from '../config';
import { chooseDatabase } from '../db/database-url';
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

/** Reads the worker's options over the server's CREDMATE_* environment; refuses what it cannot serve. */
export function loadWorkerConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): StandaloneWorkerConfig {
  const flags = parseFlags(argv, WORKER_FLAGS);
  const concurrency = concurrencyOf(flags['--concurrency']);
  const choice = chooseDatabase(
    { dataDir: flags['--data-dir'], databaseUrl: flags['--database-url'] },
    defaultDataDir(env),
    env,
  );
  if (choice.databaseUrl)
    throw new AppError(
      'invalid_input',
      `A worker cannot run on PostgreSQL (${choice.databaseUrl.redacted}) yet: documents, their jobs and extractions are still kept only in the embedded SQLite database (PostgreSQL holds the accounts so far). Run the worker on the server's machine with --data-dir DIR, the server's data dir.`,
    );
  const passed = STORAGE_FLAGS.flatMap((f) => (flags[f] === undefined ? [] : [f, flags[f] as string]));
  const config = loadServerConfig([...passed, '--data-dir', path.resolve(choice.dataDir)], env);
  if (!fs.existsSync(databasePath(config.dataDir)))
    throw new AppError(
      'invalid_input',
      `No server database in ${config.dataDir} (${databasePath(config.dataDir)} is missing). Give --data-dir the directory a \`credmate server\` runs on; the server creates and migrates the database.`,
    );
  const s = config.storage;
  const store =
    s.mode === 'embedded'
      ? embeddedStoreOf(config.dataDir)
      : {
          bucket: s.bucket,
          s3: {
            endpoint: s.endpoint,
            region: s.region,
            forcePathStyle: s.forcePathStyle,
            credentials:
              s.accessKeyId && s.secretAccessKey
                ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }
                : undefined,
          },
        };
  return {
    concurrency,
    storageLabel: store.s3.endpoint ?? `https://s3.${store.s3.region}.amazonaws.com`,
    drainTimeoutMs: config.drainTimeoutMs,
    base: workerBaseOf(config, store),
  };
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
  checkDatabase(config.base.dataDir);
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
