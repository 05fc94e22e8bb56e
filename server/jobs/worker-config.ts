import type { ServerConfig } from '../config';
import type { S3Deadlines, S3Target } from '../storage/s3-client';
import type { QueuePolicy } from './queue';

/** What the server hands a worker process (JSON in CREDMATE_WORKER_CONFIG). */
export interface WorkerConfig {
  workerId: string;
  dataDir: string;
  /** PostgreSQL (the central deployment): jobs come from pg-boss there, not from dataDir's SQLite queue. */
  databaseUrl?: string;
  bucket: string;
  s3: S3Target;
  deadlines: S3Deadlines;
  policy: QueuePolicy;
  pollMs: number;
  /** How long a stopping worker may take to finish its job before it exits anyway. */
  drainMs: number;
  /** maxBytes left out: the extraction's own default (50 MiB), as for a launcher written before it existed. */
  extraction: { timeoutMs: number; memoryMb: number; maxPages: number; maxBytes?: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** The worker settings a server's configuration gives its store: for its own workers and for `credmate worker`. */
export function workerBaseOf(
  config: ServerConfig,
  store: { bucket: string; s3: S3Target },
): Omit<WorkerConfig, 'workerId'> {
  return {
    dataDir: config.dataDir,
    bucket: store.bucket,
    s3: store.s3,
    deadlines: config.s3Deadlines,
    policy: {
      leaseMs: config.jobs.leaseMs,
      maxAttempts: config.jobs.maxAttempts,
      backoffBaseMs: config.jobs.backoffBaseMs,
      backoffMaxMs: config.jobs.backoffMaxMs,
    },
    pollMs: config.jobs.pollMs,
    drainMs: config.drainTimeoutMs,
    extraction: config.extraction,
    logLevel: config.logLevel,
  };
}

export const WORKER_CONFIG_ENV = 'CREDMATE_WORKER_CONFIG';
/** Alternative to the JSON env: a file path. The server writes `<dataDir>/server/worker-config.json` (0600) at start. */
export const WORKER_CONFIG_FILE_ENV = 'CREDMATE_WORKER_CONFIG_FILE';
export const WORKER_CONFIG_FILE = 'worker-config.json';
