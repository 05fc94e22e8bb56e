/**
 * /providers: providers of the caller's organisation (another organisation's id answers 404),
 * their credentials, expirations (JSON, CSV, iCalendar), CME compliance, and the coordinator's
 * decisions (confirm a match, merge, split, topic overrides, roster seed). Every read of provider
 * data is audited. Matching runs as a reconciler before each read and on a timer the server starts.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { parseInput, readJson, type AppDeps, type AppEnv } from '../app-env';
import { requireRole } from '../auth/require-session';
import { TOPICS } from '../compliance/rule-types';
import { errorFields } from '../log';
import {
  confirmMatch,
  mergeProviders,
  seedRosterAudited,
  setCmeTopics,
  splitProvider,
} from '../providers/coordinator-actions';
import { expirationsCsv, expirationsIcs } from '../providers/expiration-export';
import { expirationsOf } from '../providers/expirations';
import { takeNewNotices } from '../providers/expiry-notices';
import { auditProviderRead, recordProviderRead } from '../providers/provider-audit';
import {
  flaggedMatches,
  listProviders,
  providerCompliance,
  providerCredentials,
  providerPage,
  requireProvider,
} from '../providers/provider-view';
import { organisationIds, reconcileOrg } from '../providers/reconcile';

/** How often documents that finished extraction are matched without anyone reading providers. */
const RECONCILE_EVERY_MS = 30_000;

const today = () => new Date().toISOString().slice(0, 10);

const ExpirationsQuery = z.object({
  within: z.coerce.number().int().min(0).max(3650).default(90),
  format: z.enum(['json', 'csv', 'ics']).default('json'),
});
const ComplianceQuery = z.object({
  state: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'a two-letter state code')
    .optional(),
});
const ConfirmRequest = z.object({ providerId: z.string().min(1).max(64).nullable() });
const MergeRequest = z.object({ from: z.string().min(1).max(64) });
const SplitRequest = z.object({
  documentIds: z.array(z.string().min(1).max(64)).min(1).max(1000),
  name: z.string().min(3).max(200),
  npi: z
    .string()
    .regex(/^\d{10}$/)
    .nullable()
    .optional(),
});
const TopicsRequest = z.object({
  activityKey: z.string().min(1).max(500),
  // null: remove the coordinator's topics, so the title is read again.
  topics: z.array(z.enum(TOPICS)).max(TOPICS.length).nullable(),
});
const RosterJson = z.object({ csv: z.string().min(1).max(5_000_000) });

type Reconcile = (orgId: string) => Promise<unknown>;

export function providerRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const reconcile: Reconcile = (orgId) => deps.units.write(() => reconcileOrg(orgId));
  // Registered in this order: the fixed paths (/expirations, /review, /roster, /matches) before /:id.
  listRoutes(app, deps, reconcile);
  matchingRoutes(app, deps, reconcile);
  providerReadRoutes(app, deps, reconcile);
  groupingRoutes(app, deps);
  return app;
}

/** GET /, /expirations, /review and POST /expirations/notices: what spans the organisation's providers. */
function listRoutes(app: Hono<AppEnv>, deps: AppDeps, reconcile: Reconcile): void {
  const { db } = deps;
  app.get('/', async (c) => {
    const who = c.get('principal');
    await reconcile(who.orgId);
    const { providers, documentIds } = await listProviders(db, who.orgId, today());
    await auditProviderRead(
      deps,
      who,
      'providers.listed',
      providers.map((p) => p.id),
      documentIds,
    );
    return c.json({ providers });
  });

  app.get('/expirations', async (c) => {
    const who = c.get('principal');
    const q = parseInput(ExpirationsQuery, c.req.query(), 'query');
    await reconcile(who.orgId);
    const list = await orgExpirations(deps, who.orgId, q.within);
    await auditProviderRead(
      deps,
      who,
      'providers.expirations_read',
      [...new Set(list.map((e) => e.providerId))],
      list.map((e) => e.documentId),
    );
    if (q.format === 'csv')
      return c.body(expirationsCsv(list), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="expirations.csv"',
      });
    if (q.format === 'ics')
      return c.body(expirationsIcs(list, new Date()), 200, {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': 'attachment; filename="expirations.ics"',
      });
    return c.json({ today: today(), expirations: list });
  });

  // The desktop asks once a day; only credentials that entered a window since the last answer come back.
  app.post('/expirations/notices', async (c) => {
    const who = c.get('principal');
    await reconcile(who.orgId);
    const list = await orgExpirations(deps, who.orgId, 90);
    // One write: a failed audit leaves the notices untold, to be answered again.
    const fresh = await deps.units.write(function* () {
      const taken = yield* takeNewNotices(who.orgId, who.userId, list, today());
      const providerIds = [...new Set(taken.map((e) => e.providerId))];
      yield* recordProviderRead(
        who,
        'providers.expiry_notices_read',
        providerIds,
        taken.map((e) => e.documentId),
      );
      return taken;
    });
    return c.json({ today: today(), notices: fresh });
  });

  app.get('/review', async (c) => {
    const who = c.get('principal');
    await reconcile(who.orgId);
    const flagged = await flaggedMatches(db, who.orgId);
    await auditProviderRead(
      deps,
      who,
      'providers.matches_read',
      [],
      flagged.map((m) => m.documentId),
    );
    return c.json({ matches: flagged });
  });
}

/** POST /roster (admins seed providers) and PUT /matches/:documentId (confirm or refuse a match). */
function matchingRoutes(app: Hono<AppEnv>, deps: AppDeps, reconcile: Reconcile): void {
  app.post('/roster', async (c) => {
    const who = c.get('principal');
    requireRole(c, ['admin']);
    const type = c.req.header('content-type') ?? '';
    const csv = /^text\/csv\b/i.test(type) ? await c.req.text() : (await readJson(c, RosterJson)).csv;
    const result = await deps.units.write(() => seedRosterAudited(who, csv));
    return c.json(result);
  });

  app.put('/matches/:documentId', async (c) => {
    const who = c.get('principal');
    requireRole(c, ['admin', 'reviewer']);
    const req = await readJson(c, ConfirmRequest);
    await reconcile(who.orgId);
    await deps.units.write(() => confirmMatch(who, c.req.param('documentId'), req.providerId));
    return c.json({ documentId: c.req.param('documentId'), providerId: req.providerId });
  });
}

/** GET /:id and /:id/compliance: one provider's page and CME compliance, each read audited. */
function providerReadRoutes(app: Hono<AppEnv>, deps: AppDeps, reconcile: Reconcile): void {
  const { db } = deps;
  const page = async (c: Context<AppEnv>) => {
    const who = c.get('principal');
    await reconcile(who.orgId);
    const provider = await requireProvider(db, who.orgId, c.req.param('id') ?? '');
    return { who, provider, page: await providerPage(db, who.orgId, provider, today()) };
  };

  app.get('/:id', async (c) => {
    const { who, provider, page: p } = await page(c);
    await auditProviderRead(
      deps,
      who,
      'provider.read',
      [provider.id],
      p.documents.map((d) => d.documentId),
    );
    return c.json(p);
  });

  app.get('/:id/compliance', async (c) => {
    const q = parseInput(ComplianceQuery, c.req.query(), 'query');
    const { who, provider, page: p } = await page(c);
    const results = providerCompliance(p, q.state?.toUpperCase() ?? null);
    const documentIds = [
      ...new Set([
        ...results.flatMap((r) => (r.license ? [r.license.documentId] : [])),
        ...p.cme.activities.flatMap((a) => a.sources.map((s) => s.documentId)),
      ]),
    ];
    await auditProviderRead(deps, who, 'provider.compliance_read', [provider.id], documentIds);
    return c.json({
      provider: { id: provider.id, name: provider.name, npi: provider.npi },
      activities: p.cme.activities,
      licenses: results,
    });
  });
}

/** POST /:id/merge, /:id/split and PUT /:id/cme-topics: a coordinator's corrections to a provider. */
function groupingRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { db } = deps;
  app.post('/:id/merge', async (c) => {
    const who = c.get('principal');
    requireRole(c, ['admin', 'reviewer']);
    const req = await readJson(c, MergeRequest);
    const into = await requireProvider(db, who.orgId, c.req.param('id'));
    const from = await requireProvider(db, who.orgId, req.from);
    await deps.units.write(() => mergeProviders(who, into.id, from.id));
    return c.json({ id: into.id, merged: from.id });
  });

  app.post('/:id/split', async (c) => {
    const who = c.get('principal');
    requireRole(c, ['admin', 'reviewer']);
    const req = await readJson(c, SplitRequest);
    const from = await requireProvider(db, who.orgId, c.req.param('id'));
    const id = await deps.units.write(() => splitProvider(who, from.id, req.documentIds, req.name, req.npi ?? null));
    return c.json({ id, from: from.id }, 201);
  });

  app.put('/:id/cme-topics', async (c) => {
    const who = c.get('principal');
    requireRole(c, ['admin', 'reviewer']);
    const req = await readJson(c, TopicsRequest);
    const provider = await requireProvider(db, who.orgId, c.req.param('id'));
    await deps.units.write(() => setCmeTopics(who, provider.id, req.activityKey, req.topics));
    return c.json({ providerId: provider.id, activityKey: req.activityKey, topics: req.topics });
  });
}

async function orgExpirations(deps: AppDeps, orgId: string, within: number) {
  const day = today();
  return expirationsOf(await providerCredentials(deps.db, orgId, day), day, within);
}

/**
 * Matches documents whose extraction finished while nobody reads providers, so figures are ready
 * when someone does. Started and stopped with the server (server/start.ts), not by the routes;
 * unref'd, so it never keeps the process alive; a failure is logged and retried. Returns stop().
 */
export function startProviderReconcile(deps: Pick<AppDeps, 'units' | 'log'>): () => void {
  let stopped = false;
  const failed = (err: unknown) => deps.log.warn('providers.reconcile_failed', errorFields(err));
  const timer = setInterval(() => {
    if (stopped) return;
    deps.units
      .read(() => organisationIds())
      .then((orgs) => {
        for (const orgId of orgs) deps.units.write(() => reconcileOrg(orgId)).catch(failed);
      })
      .catch(failed);
  }, RECONCILE_EVERY_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
