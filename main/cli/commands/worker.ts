/** `credmate worker --data-dir D [--concurrency N]`: extraction workers as their own process. */
import { createLogger } from '../../../server/log';
import { loadWorkerConfig, startStandaloneWorker } from '../../../server/jobs/standalone-worker';
import type { WorkerPool } from '../../../server/jobs/worker-pool';

const USAGE = `usage: credmate worker [options]

Runs extraction workers as their own process, for a server started with --workers 0 (or beside
one with workers) on the same machine and data dir: they take queued documents from the server's
database, read them from its store and write the results. Stops on SIGTERM or SIGINT, letting
each worker finish its document (CREDMATE_DRAIN_TIMEOUT_MS).

  --data-dir DIR     the server's data dir (env CREDMATE_DATA_DIR, default ~/.credmate)
  --concurrency N    worker processes, one document at a time each (1-16, default 1)
  --storage, --s3-bucket, --s3-region, --s3-endpoint
                     the store, as for \`credmate server\` (keys: CREDMATE_S3_ACCESS_KEY_ID and
                     CREDMATE_S3_SECRET_ACCESS_KEY). Without --s3-endpoint the worker uses the
                     running server's embedded store, whose address the server writes at start
                     to DIR/server/worker-config.json (give the server --embedded-s3-port to keep
                     it stable across its restarts).
  --log-level L      debug, info, warn or error (env CREDMATE_LOG_LEVEL)
  --database-url U   refused for now: documents and their jobs are not on PostgreSQL yet.

Jobs settings (lease, attempts, backoff, extraction limits) come from the same CREDMATE_JOB_* and
CREDMATE_EXTRACTION_* variables as the server's.`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let pool: WorkerPool;
  let drainMs: number;
  const log = createLogger(
    (process.env.CREDMATE_LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'info',
    { component: 'worker-supervisor' },
  );
  try {
    const config = loadWorkerConfig(argv);
    drainMs = config.drainTimeoutMs;
    pool = await startStandaloneWorker(config, log);
    log.info('workers.ready', {
      concurrency: config.concurrency,
      dataDir: config.base.dataDir,
      storage: config.storageLabel,
      pids: pool.pids(),
    });
  } catch (err) {
    process.stderr.write(`credmate worker: ${err instanceof Error ? err.message : String(err)}\n`);
    setImmediate(() => process.exit(1));
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log.info('workers.signal', { signal });
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await pool.stop(drainMs);
  log.info('workers.stopped');
  setImmediate(() => process.exit(0));
  return 0;
}
