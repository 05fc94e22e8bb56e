import crypto from 'node:crypto';
import { Hono } from 'hono';
import { CreateBatchRequest } from '../../common/api';
import { readJson, type AppDeps, type AppEnv } from '../app-env';
import { appendAudit } from '../audit/audit-log';
import { requireRole } from '../auth/require-session';
import { batchStats, getOwnBatch, insertBatch, listBatchStats } from '../batches/batch-stats';
import { deleteBatch } from '../batches/delete-batch';

export function batchRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { db } = deps;

  app.post('/', async (c) => {
    const who = c.get('principal');
    const req = await readJson(c, CreateBatchRequest);
    const id = crypto.randomUUID();
    await deps.units.write(function* () {
      yield* insertBatch({
        id,
        orgId: who.orgId,
        name: req.name,
        expectedFiles: req.expectedFiles ?? null,
        createdBy: who.userId,
      });
      yield* appendAudit({
        orgId: who.orgId,
        actor: who.email,
        action: 'batch.created',
        details: { batchId: id, expectedFiles: req.expectedFiles ?? null },
      });
    });
    return c.json(await batchStats(db, await getOwnBatch(db, who.orgId, id)), 201);
  });

  app.get('/', async (c) => c.json({ batches: await listBatchStats(db, c.get('principal').orgId) }));

  app.get('/:id', async (c) =>
    c.json(await batchStats(db, await getOwnBatch(db, c.get('principal').orgId, c.req.param('id')))),
  );

  app.delete('/:id', async (c) => {
    const who = c.get('principal');
    await getOwnBatch(db, who.orgId, c.req.param('id'));
    requireRole(c, ['admin']);
    return c.json({ deleted: await deleteBatch(deps, who, c.req.param('id')) });
  });

  return app;
}
