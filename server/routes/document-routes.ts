import { Hono, type Context } from 'hono';
import { Readable } from 'node:stream';
import { ChangesQuery, ReviewRequest, type ChangesResponse, type ContentUrlResponse } from '../../common/api';
import { AppError } from '../../common/errors';
import { parseInput, readJson, type AppDeps, type AppEnv } from '../app-env';
import { auditRead } from '../audit/audit-reads';
import { requireRole } from '../auth/require-session';
import { changesSince } from '../documents/document-store';
import { getOwnDocument, toDetail, toSummary, type DocumentRow } from '../documents/document-view';
import { applyReview } from '../documents/review-document';
import { documentMatch, documentMatches } from '../providers/match-summary';
import { statusOf } from '../storage/object-store';
import { derivedTextKeyFor } from '../storage/object-keys';

const CONTENT_URL_SECONDS = 300;

/** GET /changes: the polling feed (documents whose change_seq is past the cursor, in order). */
export function changesRoute(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const q = parseInput(ChangesQuery, c.req.query(), 'query');
    const who = c.get('principal');
    const { changes, hasMore } = await deps.units.read(() => changesSince(who.orgId, q.since, q.limit));
    // Read after the page: a match written meanwhile re-announces its document later in the feed.
    const matches = await documentMatches(
      deps.db,
      who.orgId,
      changes.flatMap((p) => (p.row ? [p.id] : [])),
    );
    const res: ChangesResponse = {
      documents: changes.flatMap((p) => (p.row ? [toSummary(p.row, matches.get(p.id) ?? null)] : [])),
      deletedIds: changes.flatMap((p) => (p.row ? [] : [p.id])),
      cursor: changes.at(-1)?.seq ?? q.since,
      hasMore,
    };
    // Summaries carry extracted values (provider, document type, expiration date) and the provider match.
    await auditRead(
      deps,
      who,
      'documents.listed',
      res.documents.map((d) => d.id),
    );
    return c.json(res);
  });
  return app;
}

export function documentRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { db, units } = deps;
  const ownDocument = (orgId: string, id: string) => units.read(() => getOwnDocument(orgId, id));
  // The match is read first, then the document's extraction and attempts (two reads, not one snapshot).
  const detailOf = async (orgId: string, doc: DocumentRow) => {
    const match = await documentMatch(db, orgId, doc.id);
    return units.read(() => toDetail(doc, match));
  };

  app.get('/:id', async (c) => {
    const who = c.get('principal');
    const doc = await ownDocument(who.orgId, c.req.param('id'));
    const detail = await detailOf(who.orgId, doc);
    await auditRead(deps, who, 'document.read', [detail.id]);
    return c.json(detail);
  });

  const review = async (c: Context<AppEnv>) => {
    const who = c.get('principal');
    const doc = await ownDocument(who.orgId, c.req.param('id') ?? '');
    requireRole(c, ['admin', 'reviewer']);
    const req = await readJson(c, ReviewRequest);
    await units.write(() => applyReview(who, doc.id, req));
    const detail = await detailOf(who.orgId, await ownDocument(who.orgId, doc.id));
    // The answer carries the extracted values: a read like GET /documents/:id, audited as one.
    await auditRead(deps, who, 'document.read', [detail.id]);
    return c.json(detail);
  };
  app.patch('/:id', review);
  app.post('/:id/review', review);

  app.get('/:id/content-url', async (c) => {
    const who = c.get('principal');
    const doc = await ownDocument(who.orgId, c.req.param('id'));
    const url = await deps.store.signGet(doc.object_key, CONTENT_URL_SECONDS, `${doc.id}.pdf`);
    await auditRead(deps, who, 'document.content_read', [doc.id]);
    const res: ContentUrlResponse = { url, expiresAt: new Date(Date.now() + CONTENT_URL_SECONDS * 1000).toISOString() };
    return c.json(res);
  });

  // The PDF itself through the API: each download is its own audited request (a content URL,
  // once issued, can be fetched again until it expires without the server knowing).
  app.get('/:id/content', async (c) => {
    const who = c.get('principal');
    const doc = await ownDocument(who.orgId, c.req.param('id'));
    const { body, sizeBytes } = await deps.store.open(doc.object_key);
    await auditRead(deps, who, 'document.content_read', [doc.id]).catch((err: unknown) => {
      body.destroy();
      throw err;
    });
    const headers: Record<string, string> = {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="${doc.id}.pdf"`,
    };
    if (sizeBytes !== undefined) headers['content-length'] = String(sizeBytes);
    return c.body(Readable.toWeb(body) as ReadableStream, 200, headers);
  });

  // The text the worker read (DocumentText, common/extraction.ts): a read of the document's content, audited.
  app.get('/:id/text', async (c) => {
    const who = c.get('principal');
    const doc = await ownDocument(who.orgId, c.req.param('id'));
    const bytes = await deps.store.read(derivedTextKeyFor(doc.object_key)).catch((err: unknown) => {
      if (statusOf(err) !== 404) throw err;
      const why =
        doc.status === 'failed'
          ? 'its extraction failed; reprocess it to try again'
          : doc.status === 'uploaded' || doc.status === 'processing'
            ? 'it is stored once extraction finishes'
            : 'it was extracted before this version stored text; reprocess it to store the text';
      throw new AppError('conflict', `No text is stored for this document: ${why}.`);
    });
    await auditRead(deps, who, 'document.text_read', [doc.id]);
    return c.body(new TextDecoder().decode(bytes), 200, { 'content-type': 'application/json' });
  });

  return app;
}
