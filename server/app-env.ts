import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../common/errors';
import type { AuditHeadPublisher } from './audit/audit-head-store';
import type { PasswordHasher } from './auth/password-hasher';
import type { TrustedProxies } from './auth/client-address';
import type { SharedLoginThrottle } from './auth/shared-login-throttle';
import type { SessionPrincipal } from './auth/sessions';
import type { ServerConfig } from './config';
import type { AnyDb } from './db/kysely';
import type { UnitRunner } from './db/unit-runner';
import type { JobQueue } from './jobs/job-queue';
import type { Logger } from './log';
import type { ObjectStore } from './storage/object-store';

/** What every route handler can reach: built once in start.ts, passed to createApp. */
export interface AppDeps {
  /** For async reads on either database (database-backend.ts); writes go through `units`. */
  db: AnyDb;
  /** Runs units (server/db/units.ts) on the server's database: writes through the group commit on SQLite. */
  units: UnitRunner;
  store: ObjectStore;
  config: ServerConfig;
  log: Logger;
  /** Sign-in throttles, and the reverse proxies whose X-Forwarded-For names the client (null: none trusted). */
  loginLimits: { perAccount: SharedLoginThrottle; perAddress: SharedLoginThrottle; proxies: TrustedProxies | null };
  /** Checks sign-in passwords, capped (password-hasher.ts). */
  passwords: PasswordHasher;
  /** The audit chain's HMAC key and the publisher of each organisation's head to the object store. */
  audit: { key: Buffer; heads: AuditHeadPublisher };
  /** The extraction queue behind its engine-neutral contract (the embedded mode: the SQLite lease table). */
  jobs: JobQueue;
  /** Tells idle workers a job is waiting. */
  wakeWorkers(): void;
  /** Live storage probe for the health route. */
  storageHealthy(): Promise<{ ok: boolean; error?: string }>;
}

export interface AppEnv {
  Variables: { principal: SessionPrincipal; requestId: string };
}

/** Parses a JSON body against a schema: malformed JSON and wrong content type are 400 with what to fix. */
export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new AppError(
      'invalid_input',
      `Send the body as JSON with "Content-Type: application/json" (got "${type || 'none'}").`,
    );
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('invalid_input', 'The body is not valid JSON.');
  }
  return parseInput(schema, raw, 'body');
}

export function parseInput<T>(schema: z.ZodType<T>, raw: unknown, where: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || where}: ${i.message}`);
    throw new AppError('invalid_input', `Invalid ${where}: ${issues.join('; ')}.`);
  }
  return parsed.data;
}
