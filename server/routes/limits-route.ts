import { Hono } from 'hono';
import type { ServerLimits } from '../../common/api';
import type { AppDeps, AppEnv } from '../app-env';
import { MAX_STREAM_BYTES, MAX_TOTAL_INFLATED_BYTES } from '../extraction/inflate-guard';
import { MAX_OBJECT_BYTES } from '../uploads/part-plan';

/** The limits the running server enforces, from the same values its register and its workers use. */
export function serverLimits(config: AppDeps['config']): ServerLimits {
  return {
    maxUploadBytes: MAX_OBJECT_BYTES,
    maxDocumentBytes: config.extraction.maxBytes,
    maxPages: config.extraction.maxPages,
    maxInflatedStreamBytes: MAX_STREAM_BYTES,
    maxInflatedTotalBytes: MAX_TOTAL_INFLATED_BYTES,
    extractionTimeoutMs: config.extraction.timeoutMs,
    mediaTypes: ['application/pdf'],
    acceptsEncrypted: false,
  };
}

/** GET /limits: for any signed-in user; no document data, so no audit event. */
export function limitsRoute(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => c.json(serverLimits(deps.config)));
  return app;
}
