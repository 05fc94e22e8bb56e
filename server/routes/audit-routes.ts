import { Hono } from 'hono';
import { z } from 'zod';
import { parseInput, type AppDeps, type AppEnv } from '../app-env';
import { readStoredHead } from '../audit/audit-head-store';
import { listAudit, verifyAuditChain } from '../audit/audit-log';
import { requireRole } from '../auth/require-session';

const AuditQuery = z.object({
  documentId: z.string().min(1).max(64).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export function auditRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    requireRole(c, ['admin', 'reviewer']);
    const q = parseInput(AuditQuery, c.req.query(), 'query');
    return c.json({
      events: await deps.units.read(() =>
        listAudit(c.get('principal').orgId, {
          documentId: q.documentId,
          beforeId: q.before,
          limit: q.limit,
        }),
      ),
    });
  });
  app.get('/verify', async (c) => {
    requireRole(c, ['admin']);
    const orgId = c.get('principal').orgId;
    // Everything committed before this request is in the store's head first (a store failure answers 503).
    await deps.audit.heads.flush();
    const stored = await readStoredHead(deps.store, orgId);
    return c.json(await deps.units.read(() => verifyAuditChain(orgId, deps.audit.key, stored)));
  });
  return app;
}
