/**
 * The standalone store (`credmate store`): the embedded S3-compatible store (embedded-store.ts) as
 * its own process, for tests and small sites, so a server can use it as an external S3 endpoint
 * (`credmate server --s3-endpoint … --s3-bucket …` with the same keys). Production uses S3.
 *
 * Keys: CREDMATE_S3_ACCESS_KEY_ID / CREDMATE_S3_SECRET_ACCESS_KEY, as the embedded mode takes them;
 * unset, the embedded mode's own behaviour applies: keys are generated once and kept in
 * `<dataDir>/server/s3-keys.json` (0600), where the operator reads them for the server.
 *
 * The store's thread listens on loopback only (embedded-store-thread.ts). With `--host` other than
 * 127.0.0.1 the thread takes a free loopback port and a plain TCP relay listens on the host and
 * port asked for; every request is still checked (Signature V4) by the thread, the relay passes
 * bytes (the Host header the client signed included) unchanged.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../common/errors';
import { parseFlags, serverStateDir } from '../config';
import { databasePath } from '../db/open';
import { errorFields, type Logger } from '../log';
import { startEmbeddedStore } from './embedded-store';

export const STORE_FLAGS = ['--data-dir', '--port', '--host', '--bucket', '--region'] as const;

export interface StoreConfig {
  dataDir: string;
  host: string;
  port: number;
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

const StoreSchema = z.object({
  dataDir: z.string().min(1, '--data-dir is required (a directory of its own, not a server data dir)'),
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  bucket: z.string().min(3).max(63),
  region: z.string().min(1),
});

/** Flags over CREDMATE_S3_BUCKET / CREDMATE_S3_REGION; --data-dir and --port have no default. */
export function loadStoreConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const flags = parseFlags(argv, STORE_FLAGS);
  const blank = (v: string | undefined) => (v === '' ? undefined : v);
  if (flags['--port'] === undefined)
    throw new AppError('invalid_input', 'Invalid configuration: --port is required (0 picks a free port).');
  const parsed = StoreSchema.safeParse({
    dataDir: flags['--data-dir'] ?? '',
    host: flags['--host'] ?? '127.0.0.1',
    port: flags['--port'],
    bucket: flags['--bucket'] ?? blank(env.CREDMATE_S3_BUCKET) ?? 'credmate',
    region: flags['--region'] ?? blank(env.CREDMATE_S3_REGION) ?? 'us-east-1',
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('invalid_input', `Invalid configuration: ${issues}.`);
  }
  const accessKeyId = blank(env.CREDMATE_S3_ACCESS_KEY_ID);
  const secretAccessKey = blank(env.CREDMATE_S3_SECRET_ACCESS_KEY);
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new AppError(
      'invalid_input',
      'Invalid configuration: set both CREDMATE_S3_ACCESS_KEY_ID and CREDMATE_S3_SECRET_ACCESS_KEY, or neither (the store then generates keys in <data-dir>/server/s3-keys.json).',
    );
  }
  const dataDir = path.resolve(parsed.data.dataDir);
  if (fs.existsSync(databasePath(dataDir))) {
    // Two s3rvers on one objects directory (this one and the server's embedded store) would corrupt it.
    throw new AppError(
      'invalid_input',
      `Invalid configuration: ${dataDir} is a server's data dir (it holds ${path.basename(databasePath(dataDir))}); give the store a directory of its own.`,
    );
  }
  return { ...parsed.data, dataDir, accessKeyId, secretAccessKey };
}

export interface RunningStandaloneStore {
  endpoint: string;
  bucket: string;
  region: string;
  /** Where the keys came from: the environment, or the generated keys file. */
  keys: { source: 'environment' } | { source: 'file'; file: string };
  close(): Promise<void>;
}

const isLoopbackDefault = (host: string) => host === '127.0.0.1';

/** A TCP relay from host:port to the store thread's loopback port; close() also cuts open connections. */
async function relay(
  host: string,
  port: number,
  targetPort: number,
  log: Logger,
): Promise<{ port: number; close(): Promise<void> }> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  server.on('error', (err) => log.error('store.relay_error', errorFields(err)));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of open) s.destroy();
      }),
  };
}

export async function startStandaloneStore(config: StoreConfig, log: Logger): Promise<RunningStandaloneStore> {
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const direct = isLoopbackDefault(config.host);
  const store = await startEmbeddedStore({
    dataDir: config.dataDir,
    bucket: config.bucket,
    region: config.region,
    port: direct ? config.port : 0,
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    onCrash: (err) => log.error('store.crashed', errorFields(err)),
  });
  let front: Awaited<ReturnType<typeof relay>> | undefined;
  try {
    if (!direct) front = await relay(config.host, config.port, Number(new URL(store.endpoint).port), log);
  } catch (err) {
    await store.close();
    throw new Error(`Cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`, { cause: err });
  }
  const port = front ? front.port : Number(new URL(store.endpoint).port);
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    endpoint: `http://${hostForUrl}:${port}`,
    bucket: config.bucket,
    region: config.region,
    keys: config.accessKeyId
      ? { source: 'environment' }
      : { source: 'file', file: path.join(serverStateDir(config.dataDir), 's3-keys.json') },
    async close() {
      await front?.close();
      await store.close();
    },
  };
}
