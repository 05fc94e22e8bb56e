import type { PgBossQueueOptions } from './pg-boss-queue';
import type { WorkerConfig } from './worker-config';

/** How long pg-boss's expiry waits past the slowest delivery a worker can make. */
const EXPIRY_MARGIN_SECONDS = 60;

/**
 * The pg-boss queue's settings from the worker settings a server hands out (worker-config.ts): the
 * same for the server and every `credmate worker` of one deployment, since each start applies them
 * to the queue. pg-boss 10 cannot renew a delivery, so its expiry covers a whole job: the
 * extraction's deadline plus reading the document with every retry the store allows.
 */
export function pgBossOptionsOf(
  connectionString: string,
  base: Pick<WorkerConfig, 'policy' | 'extraction' | 'deadlines'>,
  onError: (err: Error) => void,
): PgBossQueueOptions {
  const storeMs = base.deadlines.maxAttempts * (base.deadlines.connectTimeoutMs + base.deadlines.requestTimeoutMs);
  return {
    connectionString,
    maxAttempts: base.policy.maxAttempts,
    backoffBaseSeconds: Math.max(1, Math.round(base.policy.backoffBaseMs / 1000)),
    expireInSeconds: Math.ceil((base.extraction.timeoutMs + storeMs) / 1000) + EXPIRY_MARGIN_SECONDS,
    onError,
  };
}
