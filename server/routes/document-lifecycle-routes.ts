import { Hono } from 'hono';
import { ReopenRequest, ReplaceDocumentRequest } from '../../common/api';
import { readJson, type AppDeps, type AppEnv } from '../app-env';
import { requireRole } from '../auth/require-session';
import { deleteDocument } from '../documents/delete-document';
import { getOwnDocument } from '../documents/document-view';
import { reprocessDocument } from '../documents/reprocess-document';
import { reopenReview } from '../documents/reopen-review';
import { registerReplacement } from '../uploads/replace-upload';

/**
 * /documents/:id actions beyond reading and reviewing: re-run extraction, replace a failed
 * document's file, remove a document, undo a decision. Another organisation's id answers 404
 * before the role is checked, as everywhere.
 */
export function documentLifecycleRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const ownDocument = (orgId: string, id: string) => deps.units.read(() => getOwnDocument(orgId, id));

  app.post('/:id/reopen', async (c) => {
    const who = c.get('principal');
    const doc = await ownDocument(who.orgId, c.req.param('id'));
    requireRole(c, ['admin', 'reviewer']);
    const req = await readJson(c, ReopenRequest);
    await deps.units.write(() => reopenReview(who, doc.id, req));
    return c.json({ documentId: doc.id, status: 'review_pending' as const });
  });

  app.post('/:id/replace', async (c) => {
    const who = c.get('principal');
    const doc = await ownDocument(who.orgId, c.req.param('id'));
    const req = await readJson(c, ReplaceDocumentRequest);
    const r = await registerReplacement(deps, who, doc.id, req);
    return c.json(r.body, r.status);
  });

  // One document, not only a whole batch (e.g. a wrong file among many good ones): admins only.
  app.delete('/:id', async (c) => {
    const who = c.get('principal');
    const id = (await ownDocument(who.orgId, c.req.param('id'))).id;
    requireRole(c, ['admin']);
    await deleteDocument(deps, who, id);
    return c.json({ deleted: id });
  });

  app.post('/:id/reprocess', async (c) => {
    const who = c.get('principal');
    const doc = await ownDocument(who.orgId, c.req.param('id'));
    requireRole(c, ['admin', 'reviewer']);
    await reprocessDocument(deps, who, doc);
    deps.wakeWorkers();
    return c.json({ documentId: doc.id, status: 'uploaded' }, 202);
  });

  return app;
}
