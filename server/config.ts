/**
 * Server configuration: command-line flags win over CREDMATE_* environment variables, which win
 * over defaults. Validated with zod so a typo fails at start with the variable's name.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../common/errors';
import { TrustedProxies } from './auth/client-address';
import { parseDatabaseUrl, type DatabaseUrl } from './db/database-url';

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Every variable the server reads; the README documents the same list. */
const EnvSchema = z.object({
  CREDMATE_DATA_DIR: z.string().min(1).optional(),
  CREDMATE_HOST: z.string().min(1).default('127.0.0.1'),
  CREDMATE_PORT: int(0, 65535).default(8787),
  /** Default: `s3` when CREDMATE_S3_ENDPOINT is set, else `embedded`. */
  CREDMATE_STORAGE: z.enum(['embedded', 's3']).optional(),
  CREDMATE_S3_BUCKET: z.string().min(3).max(63).optional(),
  CREDMATE_S3_REGION: z.string().min(1).default('us-east-1'),
  CREDMATE_S3_ENDPOINT: z.url().optional(),
  CREDMATE_S3_FORCE_PATH_STYLE: bool.optional(),
  CREDMATE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  CREDMATE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  CREDMATE_EMBEDDED_S3_PORT: int(0, 65535).default(0),
  CREDMATE_S3_CONNECT_TIMEOUT_MS: int(100).default(3000),
  CREDMATE_S3_REQUEST_TIMEOUT_MS: int(100).default(30000),
  CREDMATE_S3_MAX_ATTEMPTS: int(1, 10).default(3),
  CREDMATE_PRESIGN_EXPIRY_SECONDS: int(1, 900).default(900),
  CREDMATE_BODY_LIMIT_BYTES: int(1024).default(2 * 1024 * 1024),
  CREDMATE_SESSION_IDLE_SECONDS: int(1).default(60 * 60),
  CREDMATE_SESSION_ABSOLUTE_SECONDS: int(1).default(12 * 60 * 60),
  CREDMATE_LOGIN_WINDOW_SECONDS: int(1).default(15 * 60),
  CREDMATE_LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1).default(5),
  CREDMATE_LOGIN_MAX_FAILURES_PER_ADDRESS: int(1).default(30),
  /** The first wait past the free attempts; it doubles with each further failure (login-throttle.ts). */
  CREDMATE_LOGIN_DELAY_SECONDS: int(1).default(30),
  /** Reverse proxies whose X-Forwarded-For is believed (client-address.ts); unset: none. */
  CREDMATE_TRUST_PROXY: z.string().min(1).optional(),
  CREDMATE_PASSWORD_HASH_THREADS: int(1, 8).default(2),
  CREDMATE_PASSWORD_HASH_QUEUE: int(0, 1000).default(16),
  CREDMATE_UPLOAD_MAX_AGE_SECONDS: int(1).default(24 * 3600),
  /** HMAC key of the audit chain; unset: `<dataDir>/server/audit.key`, made on first start (audit-key.ts). */
  CREDMATE_AUDIT_KEY: z.string().min(1).optional(),
  /**
   * In-process extraction workers (`--workers`). 0 is valid: the server runs none and documents stay
   * `uploaded` (their jobs queued) until a server with workers, or a worker started with
   * CREDMATE_WORKER_CONFIG_FILE (worker-entry.ts), runs on the same data dir.
   */
  CREDMATE_WORKERS: int(0, 16).default(1),
  CREDMATE_JOB_LEASE_MS: int(200).default(30_000),
  CREDMATE_JOB_MAX_ATTEMPTS: int(1, 100).default(5),
  CREDMATE_JOB_BACKOFF_BASE_MS: int(1).default(2_000),
  CREDMATE_JOB_BACKOFF_MAX_MS: int(1).default(5 * 60_000),
  CREDMATE_JOB_POLL_MS: int(10).default(1_000),
  CREDMATE_EXTRACTION_TIMEOUT_MS: int(100).default(60_000),
  CREDMATE_EXTRACTION_MEMORY_MB: int(32).default(512),
  CREDMATE_EXTRACTION_MAX_PAGES: int(1).default(50),
  /** Largest PDF the worker extracts (the extraction's own default, 50 MiB); reported to clients by GET /limits. */
  CREDMATE_EXTRACTION_MAX_BYTES: int(1).default(50 * 1024 * 1024),
  CREDMATE_DRAIN_TIMEOUT_MS: int(0).default(10_000),
  CREDMATE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  CREDMATE_LOCAL_ACCOUNT: bool.optional(),
  /** The central PostgreSQL database (database-url.ts); unset: the embedded SQLite database under the data dir. */
  CREDMATE_DATABASE_URL: z.string().min(1).optional(),
});

/** Each flag and the environment variable it overrides. */
export const FLAG_TO_ENV: Record<string, keyof z.infer<typeof EnvSchema>> = {
  '--data-dir': 'CREDMATE_DATA_DIR',
  '--host': 'CREDMATE_HOST',
  '--port': 'CREDMATE_PORT',
  '--storage': 'CREDMATE_STORAGE',
  '--s3-bucket': 'CREDMATE_S3_BUCKET',
  '--s3-region': 'CREDMATE_S3_REGION',
  '--s3-endpoint': 'CREDMATE_S3_ENDPOINT',
  '--embedded-s3-port': 'CREDMATE_EMBEDDED_S3_PORT',
  '--workers': 'CREDMATE_WORKERS',
  '--database-url': 'CREDMATE_DATABASE_URL',
  '--log-level': 'CREDMATE_LOG_LEVEL',
};
export const SERVER_FLAGS = Object.keys(FLAG_TO_ENV);

export interface ServerConfig {
  dataDir: string;
  /** PostgreSQL (the central deployment); undefined: SQLite under dataDir. */
  databaseUrl?: DatabaseUrl;
  host: string;
  port: number;
  storage:
    | { mode: 'embedded'; bucket: string; region: string; port: number; accessKeyId?: string; secretAccessKey?: string }
    | {
        mode: 's3';
        bucket: string;
        region: string;
        endpoint?: string;
        forcePathStyle: boolean;
        accessKeyId?: string;
        secretAccessKey?: string;
      };
  s3Deadlines: { connectTimeoutMs: number; requestTimeoutMs: number; maxAttempts: number };
  presignExpirySeconds: number;
  bodyLimitBytes: number;
  session: { idleSeconds: number; absoluteSeconds: number };
  /** perAccount / perAddress attempts pass freely in the window; past them each waits firstDelaySeconds, doubling. */
  loginLimit: { windowSeconds: number; perAccount: number; perAddress: number; firstDelaySeconds: number };
  /** CREDMATE_TRUST_PROXY as given (validated here); undefined: X-Forwarded-For is ignored. */
  trustProxy?: string;
  /** Sign-in checks: scrypts at once (each on its own thread) and how many may wait; more answer 503. */
  passwordHashing: { threads: number; maxQueued: number };
  /** Open uploads older than this are aborted and their stored bytes removed (sweep-abandoned.ts). */
  uploadMaxAgeSeconds: number;
  /** The audit chain's HMAC key from the environment; undefined means the key file in the data dir. */
  auditKey?: string;
  jobs: {
    workers: number;
    leaseMs: number;
    maxAttempts: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    pollMs: number;
  };
  extraction: { timeoutMs: number; memoryMb: number; maxPages: number; maxBytes: number };
  drainTimeoutMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  localAccount: boolean;
}

/** Splits `--flag value` / `--flag=value` pairs; unknown flags are an error naming them. */
export function parseFlags(argv: string[], known: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (!known.includes(name))
      throw new AppError('invalid_input', `Unknown option "${name}". Known options: ${known.join(', ')}.`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new AppError('invalid_input', `Option ${name} needs a value.`);
    out[name] = value;
  }
  return out;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.CREDMATE_DATA_DIR || path.join(os.homedir(), '.credmate'));
}

type Env = z.infer<typeof EnvSchema>;

/** Flags over the environment, checked against EnvSchema (invalid_input naming each bad variable). */
function parseEnv(argv: string[], env: NodeJS.ProcessEnv): Env {
  const flags = parseFlags(argv, SERVER_FLAGS);
  const merged: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvSchema.shape)) merged[key] = env[key] === '' ? undefined : env[key];
  for (const [flag, value] of Object.entries(flags)) merged[FLAG_TO_ENV[flag] as string] = value;
  const parsed = EnvSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('invalid_input', `Invalid configuration: ${issues}.`);
  }
  return parsed.data;
}

/** Where documents are stored; refuses combinations that would store them somewhere unasked. */
function storageConfig(e: Env): ServerConfig['storage'] {
  const mode = e.CREDMATE_STORAGE ?? (e.CREDMATE_S3_ENDPOINT ? 's3' : 'embedded');
  if (mode === 'embedded' && e.CREDMATE_S3_ENDPOINT) {
    // Silently ignoring the endpoint would store documents somewhere the operator did not ask for.
    throw new AppError(
      'invalid_input',
      'Invalid configuration: CREDMATE_S3_ENDPOINT is set but CREDMATE_STORAGE=embedded; drop one of them.',
    );
  }
  const credentials = { accessKeyId: e.CREDMATE_S3_ACCESS_KEY_ID, secretAccessKey: e.CREDMATE_S3_SECRET_ACCESS_KEY };
  if (Boolean(credentials.accessKeyId) !== Boolean(credentials.secretAccessKey)) {
    throw new AppError(
      'invalid_input',
      'Invalid configuration: set both CREDMATE_S3_ACCESS_KEY_ID and CREDMATE_S3_SECRET_ACCESS_KEY, or neither.',
    );
  }
  if (mode === 's3' && !e.CREDMATE_S3_BUCKET) {
    throw new AppError(
      'invalid_input',
      'Invalid configuration: CREDMATE_STORAGE=s3 needs CREDMATE_S3_BUCKET (or --s3-bucket).',
    );
  }
  return mode === 'embedded'
    ? {
        mode: 'embedded',
        bucket: e.CREDMATE_S3_BUCKET ?? 'credmate',
        region: e.CREDMATE_S3_REGION,
        port: e.CREDMATE_EMBEDDED_S3_PORT,
        ...credentials,
      }
    : {
        mode: 's3',
        bucket: e.CREDMATE_S3_BUCKET as string,
        region: e.CREDMATE_S3_REGION,
        endpoint: e.CREDMATE_S3_ENDPOINT,
        forcePathStyle: e.CREDMATE_S3_FORCE_PATH_STYLE ?? Boolean(e.CREDMATE_S3_ENDPOINT),
        ...credentials,
      };
}

export function loadServerConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const e = parseEnv(argv, env);
  const storage = storageConfig(e);
  if (e.CREDMATE_TRUST_PROXY) {
    try {
      new TrustedProxies(e.CREDMATE_TRUST_PROXY);
    } catch (err) {
      throw new AppError('invalid_input', `Invalid configuration: ${(err as Error).message}`);
    }
  }
  return {
    dataDir: path.resolve(e.CREDMATE_DATA_DIR ?? defaultDataDir({})),
    databaseUrl: e.CREDMATE_DATABASE_URL
      ? parseDatabaseUrl(e.CREDMATE_DATABASE_URL, '--database-url (or CREDMATE_DATABASE_URL)')
      : undefined,
    host: e.CREDMATE_HOST,
    port: e.CREDMATE_PORT,
    storage,
    s3Deadlines: {
      connectTimeoutMs: e.CREDMATE_S3_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: e.CREDMATE_S3_REQUEST_TIMEOUT_MS,
      maxAttempts: e.CREDMATE_S3_MAX_ATTEMPTS,
    },
    presignExpirySeconds: e.CREDMATE_PRESIGN_EXPIRY_SECONDS,
    bodyLimitBytes: e.CREDMATE_BODY_LIMIT_BYTES,
    session: { idleSeconds: e.CREDMATE_SESSION_IDLE_SECONDS, absoluteSeconds: e.CREDMATE_SESSION_ABSOLUTE_SECONDS },
    loginLimit: {
      windowSeconds: e.CREDMATE_LOGIN_WINDOW_SECONDS,
      perAccount: e.CREDMATE_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      perAddress: e.CREDMATE_LOGIN_MAX_FAILURES_PER_ADDRESS,
      firstDelaySeconds: e.CREDMATE_LOGIN_DELAY_SECONDS,
    },
    trustProxy: e.CREDMATE_TRUST_PROXY,
    passwordHashing: { threads: e.CREDMATE_PASSWORD_HASH_THREADS, maxQueued: e.CREDMATE_PASSWORD_HASH_QUEUE },
    uploadMaxAgeSeconds: e.CREDMATE_UPLOAD_MAX_AGE_SECONDS,
    auditKey: e.CREDMATE_AUDIT_KEY,
    jobs: {
      workers: e.CREDMATE_WORKERS,
      leaseMs: e.CREDMATE_JOB_LEASE_MS,
      maxAttempts: e.CREDMATE_JOB_MAX_ATTEMPTS,
      backoffBaseMs: e.CREDMATE_JOB_BACKOFF_BASE_MS,
      backoffMaxMs: e.CREDMATE_JOB_BACKOFF_MAX_MS,
      pollMs: e.CREDMATE_JOB_POLL_MS,
    },
    extraction: {
      timeoutMs: e.CREDMATE_EXTRACTION_TIMEOUT_MS,
      memoryMb: e.CREDMATE_EXTRACTION_MEMORY_MB,
      maxPages: e.CREDMATE_EXTRACTION_MAX_PAGES,
      maxBytes: e.CREDMATE_EXTRACTION_MAX_BYTES,
    },
    drainTimeoutMs: e.CREDMATE_DRAIN_TIMEOUT_MS,
    logLevel: e.CREDMATE_LOG_LEVEL,
    localAccount: e.CREDMATE_LOCAL_ACCOUNT ?? storage.mode === 'embedded',
  };
}

/** `<dataDir>/server`: the database, embedded store files, generated keys and the local account. */
export function serverStateDir(dataDir: string): string {
  return path.join(dataDir, 'server');
}
