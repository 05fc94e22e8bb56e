/**
 * The extraction job worker process, forked by the server or `credmate worker`: it claims jobs from
 * the shared SQLite queue (or pg-boss, on PostgreSQL) and runs them one at a time, out of the API's way. Stops claiming on SIGTERM/SIGINT, a
 * {type:'stop'} message or a lost parent channel, finishes the current job, exits 0.
 * Where the server cannot fork (packaged Electron: no runAsNode), run the server with
 * CREDMATE_WORKERS=0 and start this entry yourself (utilityProcess.fork) with
 * CREDMATE_WORKER_CONFIG_FILE=<dataDir>/server/worker-config.json, once the server is ready.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { lowerProcessPriority } from '../thread-priority';
import { openDatabase } from '../db/open';
import { createExtractionSandbox } from '../extraction/sandbox';
import { createLogger, errorFields, type Logger } from '../log';
import { createObjectStore } from '../storage/object-store';
import { createS3Client } from '../storage/s3-client';
import type { JobQueue } from './job-queue';
import { PgBossQueue, pgBossPolicyOf } from './pg-boss-queue';
import { createSqliteJobQueue } from './sqlite-job-queue';
import { runJob, type JobContext } from './run-job';
import { WORKER_CONFIG_ENV, WORKER_CONFIG_FILE_ENV, type WorkerConfig } from './worker-config';

/** Linux/macOS nice value of the worker process and its extraction threads (0 normal, 19 lowest). */
const WORKER_NICENESS = 10;

function readConfig(): WorkerConfig {
  const file = process.env[WORKER_CONFIG_FILE_ENV];
  const raw = process.env[WORKER_CONFIG_ENV] ?? (file ? fs.readFileSync(file, 'utf8') : undefined);
  if (!raw)
    throw new Error(
      `Set ${WORKER_CONFIG_ENV} or ${WORKER_CONFIG_FILE_ENV}: this process is started by the server or its launcher.`,
    );
  const config = JSON.parse(raw) as WorkerConfig;
  return { ...config, workerId: config.workerId || `ext-${crypto.randomBytes(4).toString('hex')}` };
}

/**
 * The queue this worker takes jobs from: pg-boss on the central PostgreSQL database, else the
 * data dir's SQLite lease table.
 */
async function openQueue(config: WorkerConfig, log: Logger): Promise<{ queue: JobQueue; close(): Promise<void> }> {
  if (config.databaseUrl) {
    const queue = await PgBossQueue.start({
      connectionString: config.databaseUrl,
      ...pgBossPolicyOf(config),
      onError: (err) => log.warn('worker.queue_error', errorFields(err)),
    });
    return { queue, close: () => queue.stop() };
  }
  const db = openDatabase(config.dataDir, { migrate: false });
  // The worker's commits (claims, lease renewals, results) take no fsync of their own. Losing the
  // last of them to a power cut only re-runs a job (a lost claim or result leaves it claimable
  // again), and the WAL is one log written in order: the API's next durable commit syncs them
  // too. The fsync would be spent holding the database's write lock, which the API's writes wait for.
  db.pragma('synchronous = NORMAL');
  const close = async () => {
    db.close();
  };
  return { queue: createSqliteJobQueue(db, config.policy), close };
}

async function main(): Promise<void> {
  // Extraction is background work: on a shared machine (the desktop's own, or a server's) it
  // takes the CPU the API and the user's apps leave idle, and all of it when they are idle.
  lowerProcessPriority(WORKER_NICENESS);
  const config = readConfig();
  const log = createLogger(config.logLevel, { component: 'worker', workerId: config.workerId });
  const jobs = await openQueue(config, log);
  const client = createS3Client(config.s3, config.deadlines);
  const store = createObjectStore(client, {
    bucket: config.bucket,
    endpoint: config.s3.endpoint ?? '',
    region: config.s3.region,
  });
  const sandbox = createExtractionSandbox(config.extraction);
  const { queue } = jobs;
  const ctx: JobContext = { queue, store, sandbox, policy: config.policy, log };

  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    wake?.();
    // The server kills a worker that outlives its drain; an orphan (server gone) must not linger either.
    setTimeout(() => {
      log.warn('worker.exit_forced');
      process.exit(1);
    }, config.drainMs + 5_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stop') stop();
    if (m?.type === 'wake') wake?.();
  });
  process.on('disconnect', stop);
  // Forked with a channel that closed while this process was still loading (its server was
  // stopped or killed within the first second): the event came before the handler above.
  if (typeof process.send === 'function' && !process.connected) stop();

  log.info('worker.started', { pid: process.pid });
  while (!stopping) {
    const job = await queue.claim(config.workerId);
    if (job) {
      await runJob(ctx, job);
      continue;
    }
    const untilNext = await queue.msUntilNextRunnable();
    const waitMs = Math.min(config.pollMs, untilNext ?? config.pollMs);
    const ac = new AbortController();
    wake = () => ac.abort();
    await sleep(waitMs, undefined, { signal: ac.signal }).catch(() => undefined);
    wake = undefined;
  }
  await sandbox.close();
  client.destroy();
  await jobs.close();
  log.info('worker.stopped');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    createLogger('error', { component: 'worker' }).error('worker.crashed', errorFields(err));
    process.exit(1);
  },
);
