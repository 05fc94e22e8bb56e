import { Hono } from 'hono';
import { z } from 'zod';
import { readJson, type AppDeps, type AppEnv } from '../app-env';
import { appendAudit } from '../audit/audit-log';
import { requireRole } from '../auth/require-session';
import { requeueDocument } from '../jobs/queue';

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
    const queued = await deps.writes.run(() => {
      const ids = deps.db
        .prepare(
          `SELECT d.id FROM documents d
           WHERE d.org_id = ? AND d.status NOT IN ('uploaded', 'processing')
             AND (? = 1 OR d.status NOT IN ('approved', 'rejected'))
             AND CASE ? WHEN 'failed' THEN d.status = 'failed'
                 ELSE COALESCE((SELECT e.pipeline_version FROM extractions e WHERE e.document_id = d.id ORDER BY e.id DESC LIMIT 1), '') <> ? END`,
        )
        .all(who.orgId, req.includeReviewed ? 1 : 0, req.scope, PIPELINE_VERSION) as Array<{ id: string }>;
      const count = ids.filter(({ id }) => requeueDocument(deps.db, id, deps.config.jobs.maxAttempts)).length;
      appendAudit(deps.db, {
        orgId: who.orgId,
        actor: who.email,
        action: 'documents.reprocess',
        details: {
          scope: req.scope,
          includeReviewed: req.includeReviewed,
          queued: count,
          pipelineVersion: PIPELINE_VERSION,
        },
      });
      return count;
    });
    deps.wakeWorkers();
    return c.json({ queued, pipelineVersion: PIPELINE_VERSION }, 202);
  });
  return app;
}
