import crypto from 'node:crypto';
import { Hono } from 'hono';
import { CreateBatchRequest } from '../../common/api';
import { readJson, type AppDeps, type AppEnv } from '../app-env';
import { appendAudit } from '../audit/audit-log';
import { requireRole } from '../auth/require-session';
import { batchStats, getOwnBatch } from '../batches/batch-stats';
import { deleteBatch } from '../batches/delete-batch';
import { nowIso } from '../db/open';

export function batchRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { db } = deps;

  app.post('/', async (c) => {
    const who = c.get('principal');
    const req = await readJson(c, CreateBatchRequest);
    const id = crypto.randomUUID();
    await deps.writes.run(() => {
      db.prepare(
        'INSERT INTO batches (id, org_id, name, expected_files, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(id, who.orgId, req.name, req.expectedFiles ?? null, who.userId, nowIso());
      appendAudit(db, {
        orgId: who.orgId,
        actor: who.email,
        action: 'batch.created',
        details: { batchId: id, expectedFiles: req.expectedFiles ?? null },
      });
    });
    return c.json(batchStats(db, getOwnBatch(db, who.orgId, id)), 201);
  });

  app.get('/', (c) => {
    const rows = db
      .prepare('SELECT id, name, created_at FROM batches WHERE org_id = ? ORDER BY created_at DESC LIMIT 500')
      .all(c.get('principal').orgId) as Array<{ id: string; name: string; created_at: string }>;
    return c.json({ batches: rows.map((b) => batchStats(db, b)) });
  });

  app.get('/:id', (c) => c.json(batchStats(db, getOwnBatch(db, c.get('principal').orgId, c.req.param('id')))));

  app.delete('/:id', async (c) => {
    const who = c.get('principal');
    getOwnBatch(db, who.orgId, c.req.param('id'));
    requireRole(c, ['admin']);
    return c.json({ deleted: await deleteBatch(deps, who, c.req.param('id')) });
  });

  return app;
}
