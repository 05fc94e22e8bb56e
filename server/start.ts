/**
 * startServer(config): checks the database, migrations and the bucket (canary write/delete),
 * starts the embedded store when configured, the job workers and the HTTP API. Refuses to start
 * misconfigured: the returned promise rejects with one message naming what is wrong.
 */
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { serve } from '@hono/node-server';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app';
import type { AppDeps } from './app-env';
import { AuditHeadPublisher } from './audit/audit-head-store';
import { loadAuditKey } from './audit/audit-key';
import { appendAudit, orgsWithAuditHead, orgsWithUnkeyedHead } from './audit/audit-log';
import { PasswordHasher } from './auth/password-hasher';
import { sweepAbandonedUploads } from './uploads/sweep-abandoned';
import { startProviderReconcile } from './routes/provider-routes';
import { TrustedProxies } from './auth/client-address';
import { SharedLoginThrottle } from './auth/shared-login-throttle';
import { purgeDeadSessions } from './auth/sessions';
import { serverStateDir, type ServerConfig } from './config';
import { openPostgresBackend, openSqliteBackend, type DatabaseBackend } from './database-backend';
import { queryLayer, type AnyDb } from './db/kysely';
import { databasePath } from './db/open';
import { WORKER_CONFIG_FILE, workerBaseOf, type WorkerConfig } from './jobs/worker-config';
import { startWorkerPool, type SpawnWorker, type WorkerPool } from './jobs/worker-pool';
import { ensureLocalAccount } from './local-account';
import { createLogger, errorFields, type Logger } from './log';
import { startEmbeddedStore, type EmbeddedStore } from './storage/embedded-store';
import { createObjectStore, type ObjectStore } from './storage/object-store';
import { createS3Client, type S3Target } from './storage/s3-client';
import { checkBucket } from './storage/startup-check';

export interface RunningServer {
  apiUrl: string;
  s3: { endpoint: string; bucket: string; region: string };
  workerPids(): number[];
  close(): Promise<void>;
}

/** The whole start-up check (bucket probe included) fits well inside the 10 s the issue allows. */
const STARTUP_STORAGE_DEADLINE_MS = 7_000;
const HEALTH_CACHE_MS = 2_000;

/** For launchers that start workers themselves (see worker-entry.ts); holds S3 keys, hence 0600. */
function writeWorkerConfigFile(dataDir: string, base: Omit<WorkerConfig, 'workerId'>): void {
  const file = path.join(serverStateDir(dataDir), WORKER_CONFIG_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...base, workerId: '' }), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

async function resolveStorage(
  config: ServerConfig,
  log: Logger,
): Promise<{ target: S3Target; endpointLabel: string; embedded?: EmbeddedStore }> {
  const s = config.storage;
  if (s.mode === 'embedded') {
    const embedded = await startEmbeddedStore({
      dataDir: config.dataDir,
      bucket: s.bucket,
      region: s.region,
      port: s.port,
      accessKeyId: s.accessKeyId,
      secretAccessKey: s.secretAccessKey,
      databaseFile: databasePath(config.dataDir),
      onCrash: (err) => log.error('embedded_store.crashed', errorFields(err)),
    });
    return {
      embedded,
      endpointLabel: embedded.endpoint,
      target: {
        endpoint: embedded.endpoint,
        region: s.region,
        forcePathStyle: true,
        credentials: embedded.credentials,
      },
    };
  }
  const credentials =
    s.accessKeyId && s.secretAccessKey ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } : undefined;
  return {
    endpointLabel: s.endpoint ?? `https://s3.${s.region}.amazonaws.com`,
    target: { endpoint: s.endpoint, region: s.region, forcePathStyle: s.forcePathStyle, credentials },
  };
}

/**
 * Loads the audit key, attaches it to the connection, and checkpoints every chain that still ends
 * with an unkeyed row (from before the keyed chain): the checkpoint's HMAC covers the unkeyed
 * head, so those older rows can no longer be rewritten unseen. Then every organisation's head is
 * written to the store, which also finds a chain cut while the server was stopped (logged as
 * audit.head_mismatch; the stored head is kept).
 */
async function startAuditChain(
  backend: DatabaseBackend,
  store: ObjectStore,
  config: ServerConfig,
  log: Logger,
): Promise<AppDeps['audit']> {
  const key = loadAuditKey(config.dataDir, config.auditKey);
  const { units } = backend;
  const heads = new AuditHeadPublisher({ units, store, log });
  backend.setUnitContext({ auditChain: { key, onAppend: (orgId) => heads.markDirty(orgId) } });
  const unkeyed = await units.read(() => orgsWithUnkeyedHead());
  await units.write(function* () {
    for (const orgId of unkeyed)
      yield* appendAudit({
        orgId,
        actor: null,
        action: 'audit.chain_keyed',
        details: { note: 'events before this one use the unkeyed chain' },
      });
  });
  for (const orgId of await units.read(() => orgsWithAuditHead())) heads.markDirty(orgId);
  await heads.flush().catch((err: unknown) => log.warn('audit.head_publish_failed', errorFields(err)));
  return { key, heads };
}

type Storage = Awaited<ReturnType<typeof resolveStorage>>;

/** Probes the bucket with a short-deadline client (refusing to start when it fails), then makes the store. */
async function openStore(
  config: ServerConfig,
  storage: Storage,
): Promise<{ client: ReturnType<typeof createS3Client>; store: ObjectStore }> {
  const bucket = config.storage.bucket;
  const probeClient = createS3Client(storage.target, {
    connectTimeoutMs: Math.min(config.s3Deadlines.connectTimeoutMs, 3000),
    // One request may use the whole check's deadline: the embedded store's first answer comes from a
    // thread just started, which took over 3 s on a loaded machine; the check as a whole stays bounded.
    requestTimeoutMs: STARTUP_STORAGE_DEADLINE_MS,
    maxAttempts: 1,
  });
  try {
    await checkBucket(probeClient, bucket, storage.endpointLabel, STARTUP_STORAGE_DEADLINE_MS);
  } finally {
    probeClient.destroy();
  }
  const client = createS3Client(storage.target, config.s3Deadlines);
  const embedded = storage.embedded;
  const store = createObjectStore(
    client,
    {
      bucket,
      endpoint: storage.endpointLabel,
      region: storage.target.region,
      guardsCompletedObjects: !!embedded,
      sha256Etags: !!embedded,
    },
    embedded?.direct,
  );
  return { client, store };
}

/** The health route's live bucket probe, its answer cached for HEALTH_CACHE_MS. */
function storageProbe(client: ReturnType<typeof createS3Client>, bucket: string, label: string) {
  let lastProbe: { at: number; result: { ok: boolean; error?: string } } | undefined;
  return async (): Promise<{ ok: boolean; error?: string }> => {
    if (lastProbe && Date.now() - lastProbe.at < HEALTH_CACHE_MS) return lastProbe.result;
    let result: { ok: boolean; error?: string };
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(3000) });
      result = { ok: true };
    } catch (err) {
      result = {
        ok: false,
        error: `bucket ${bucket} at ${label}: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    lastProbe = { at: Date.now(), result };
    return result;
  };
}

/** The throttles keep their counts in the database, so API processes sharing it share the limits. */
function loginLimitsFor(config: ServerConfig, db: AnyDb): AppDeps['loginLimits'] {
  const l = config.loginLimit;
  const policy = (free: number) => ({
    windowMs: l.windowSeconds * 1000,
    free,
    firstDelayMs: l.firstDelaySeconds * 1000,
  });
  return {
    perAccount: new SharedLoginThrottle(queryLayer(db), 'account', policy(l.perAccount)),
    perAddress: new SharedLoginThrottle(queryLayer(db), 'address', policy(l.perAddress)),
    proxies: config.trustProxy ? new TrustedProxies(config.trustProxy) : null,
  };
}

/** Hourly purge of dead sessions and quiet sign-in keys, and the sweep of abandoned uploads; stop() waits for a sweep under way. */
function startHousekeeping(deps: Pick<AppDeps, 'db' | 'units' | 'store' | 'log' | 'config' | 'loginLimits'>): {
  stop(): Promise<void>;
} {
  const { db, units, store, log, config } = deps;
  const purge = setInterval(() => {
    const { perAccount, perAddress } = deps.loginLimits;
    Promise.all([purgeDeadSessions(db, config.session), perAccount.purge(), perAddress.purge()]).catch((err: unknown) =>
      log.warn('auth.purge_failed', errorFields(err)),
    );
  }, 60 * 60_000);
  purge.unref();
  // Checked every quarter of the age (at most hourly), so an upload is swept at most 25% late.
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweepAbandoned = () => {
    sweeping = sweeping
      .then(() => sweepAbandonedUploads({ units, store, log }, config.uploadMaxAgeSeconds))
      .catch((err: unknown) => log.warn('uploads.sweep_failed', errorFields(err)));
  };
  const sweep = setInterval(
    sweepAbandoned,
    Math.min(60 * 60_000, Math.max(1000, (config.uploadMaxAgeSeconds * 1000) / 4)),
  );
  sweep.unref();
  sweepAbandoned();
  return {
    async stop() {
      clearInterval(purge);
      clearInterval(sweep);
      await sweeping;
    },
  };
}

function listen(app: ReturnType<typeof createApp>, config: ServerConfig): Promise<ReturnType<typeof serve>> {
  return new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Stops taking requests, lets the HTTP requests and jobs in flight finish (up to the drain time), then closes the rest. */
async function closeHttp(server: ReturnType<typeof serve>, drainMs: number, workers: WorkerPool): Promise<void> {
  const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  const forced = setTimeout(() => 'closeAllConnections' in server && server.closeAllConnections(), drainMs);
  await Promise.all([httpClosed, workers.stop(drainMs)]);
  clearTimeout(forced);
}

/**
 * What a central server on PostgreSQL cannot take from its own data dir, since several API
 * processes (on several machines) share one database: the document store (the embedded one serves
 * one server, and its write guard reads the SQLite uploads table) and the audit key (a key file
 * made per data dir would sign one organisation's chain with several keys, which then never
 * verifies).
 */
function refuseUnsharedOnPostgres(config: ServerConfig): void {
  if (!config.databaseUrl) return;
  if (config.storage.mode === 'embedded')
    throw new Error(
      'With --database-url (PostgreSQL) give the document store every API process and worker reaches: ' +
        '--s3-bucket with --s3-region (AWS S3), or --s3-endpoint for an S3-compatible service or a standalone ' +
        '`credmate store`. The embedded store serves a single server on its own data dir.',
    );
  if (!config.auditKey)
    throw new Error(
      'With --database-url (PostgreSQL) set CREDMATE_AUDIT_KEY (32+ characters, e.g. `openssl rand -hex 32`), the ' +
        'same for every API process: they append to one audit chain, which verifies only under one key.',
    );
}

function openBackend(config: ServerConfig, log: Logger): Promise<DatabaseBackend> | DatabaseBackend {
  const policy = {
    leaseMs: config.jobs.leaseMs,
    maxAttempts: config.jobs.maxAttempts,
    backoffBaseMs: config.jobs.backoffBaseMs,
    backoffMaxMs: config.jobs.backoffMaxMs,
  };
  if (!config.databaseUrl) return openSqliteBackend(config, policy);
  const workers = { policy, extraction: config.extraction, deadlines: config.s3Deadlines };
  return openPostgresBackend({ ...config, databaseUrl: config.databaseUrl }, workers, log);
}

export async function startServer(
  config: ServerConfig,
  opts: { log?: Logger; spawnWorker?: SpawnWorker } = {},
): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel, { component: 'server' });
  refuseUnsharedOnPostgres(config);
  // The state folder holds the worker config and, when made, the local account; on PostgreSQL
  // nothing else (no SQLite file, no key file) would create it.
  fs.mkdirSync(serverStateDir(config.dataDir), { recursive: true, mode: 0o700 });
  const backend = await openBackend(config, log);
  let embedded: EmbeddedStore | undefined;
  let pool: WorkerPool | undefined;
  try {
    const storage = await resolveStorage(config, log);
    embedded = storage.embedded;
    const { client, store } = await openStore(config, storage);
    if (config.localAccount) await ensureLocalAccount(backend.db, config.dataDir);
    const audit = await startAuditChain(backend, store, config, log);

    // On PostgreSQL the in-process workers take their jobs from pg-boss, as `credmate worker` does.
    const workerBase = {
      ...workerBaseOf(config, { bucket: config.storage.bucket, s3: storage.target }),
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl.url } : {}),
    };
    writeWorkerConfigFile(config.dataDir, workerBase);
    const workers = startWorkerPool(config.jobs.workers, workerBase, log, opts.spawnWorker);
    pool = workers;

    const passwords = new PasswordHasher(config.passwordHashing.threads, config.passwordHashing.maxQueued);
    const deps: AppDeps & { workersAlive(): boolean } = {
      db: backend.db,
      units: backend.units,
      store,
      config,
      log,
      loginLimits: loginLimitsFor(config, backend.db),
      passwords,
      audit,
      jobs: backend.jobs,
      wakeWorkers: () => {
        backend.jobQueued();
        workers.wake();
      },
      storageHealthy: storageProbe(client, config.storage.bucket, storage.endpointLabel),
      workersAlive: () => config.jobs.workers === 0 || workers.pids().length > 0,
    };
    const server = await listen(createApp(deps), config);
    const { port } = server.address() as AddressInfo;
    const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
    const housekeeping = startHousekeeping(deps);
    const stopProviderReconcile = startProviderReconcile(deps);
    log.info('server.ready', {
      port,
      database: backend.kind,
      storage: config.storage.mode,
      workers: config.jobs.workers,
    });

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        log.info('server.draining');
        const sweepDone = housekeeping.stop();
        stopProviderReconcile();
        await closeHttp(server, config.drainTimeoutMs, workers);
        await sweepDone;
        await audit.heads.flush().catch((err: unknown) => log.warn('audit.head_publish_failed', errorFields(err)));
        await passwords.close();
        client.destroy();
        await embedded?.close();
        await backend.close();
        log.info('server.stopped');
      })());

    return {
      apiUrl: `http://${hostForUrl}:${port}`,
      s3: { endpoint: storage.endpointLabel, bucket: config.storage.bucket, region: storage.target.region },
      workerPids: () => workers.pids(),
      close,
    };
  } catch (err) {
    await pool?.stop(0);
    await embedded?.close().catch((e: unknown) => log.warn('embedded_store.close_failed', errorFields(e)));
    await backend.close();
    throw err;
  }
}
