import { Hono } from 'hono';
import { z } from 'zod';
import { readJson, type AppDeps, type AppEnv } from '../app-env';
import { requireRole } from '../auth/require-session';
import { reprocessMany } from '../documents/reprocess-document';

const BulkReprocessRequest = z.object({
  /** `outdated`: no extraction by the running pipeline version yet (after an upgrade); `failed`: dead-lettered documents. */
  scope: z.enum(['outdated', 'failed']),
  /** Approved and rejected documents are left alone unless asked: re-extracting sends them back to review. */
  includeReviewed: z.boolean().default(false),
});

/** POST /reprocess: queue extraction again for many documents of the organisation at once. */
export function reprocessRoute(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/', async (c) => {
    const who = c.get('principal');
    requireRole(c, ['admin']);
    const req = await readJson(c, BulkReprocessRequest);
    // Loaded on use: the API process otherwise never loads the extraction pipeline's modules.
    const { PIPELINE_VERSION } = await import('../extraction/index');
    const queued = await deps.units.write(() =>
      reprocessMany(who, req, PIPELINE_VERSION, deps.config.jobs.maxAttempts),
    );
    deps.wakeWorkers();
    return c.json({ queued, pipelineVersion: PIPELINE_VERSION }, 202);
  });
  return app;
}
