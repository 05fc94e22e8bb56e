/**
 * The HTTP API (Hono). Errors are AppErrors with a kind; this file turns a kind (through
 * http-status.ts) into an HTTP status and `{error:{code,message}}`.
 */
import crypto from 'node:crypto';
import { Hono, type ErrorHandler, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { API_PREFIX } from '../common/api';
import { AppError, type ErrorKind } from '../common/errors';
import type { AppDeps, AppEnv } from './app-env';
import { requireSession } from './auth/require-session';
import { errorFields } from './log';
import { auditRoutes } from './routes/audit-routes';
import { authRoutes } from './routes/auth-routes';
import { batchRoutes } from './routes/batch-routes';
import { documentLifecycleRoutes } from './routes/document-lifecycle-routes';
import { changesRoute, documentRoutes } from './routes/document-routes';
import { healthHandler } from './routes/health-routes';
import { limitsRoute } from './routes/limits-route';
import { providerRoutes } from './routes/provider-routes';
import { reprocessRoute } from './routes/reprocess-route';
import { uploadRoutes } from './routes/upload-routes';
import { STATUS_BY_KIND } from './http-status';
import { NewWorkGate } from './new-work-gate';
import { isStoreFailure } from './storage/object-store';

export function createApp(deps: AppDeps & { workersAlive(): boolean }) {
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('requestId', crypto.randomUUID());
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    // Route pattern, not the URL: ids are fine but query strings are not worth the risk.
    const fields = {
      requestId: c.get('requestId'),
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms,
    };
    if (c.res.status >= 500) deps.log.warn('http.request', fields);
    else deps.log.debug('http.request', fields);
  });

  const tooLarge = (): never => {
    throw new AppError('too_large', `The request body is larger than ${deps.config.bodyLimitBytes} bytes.`);
  };
  const streamedBodyLimit = bodyLimit({ maxSize: deps.config.bodyLimitBytes, onError: tooLarge });
  app.use('*', (c, next) => {
    // A declared length is checked from the header alone (Node's parser holds the body to it).
    // hono's bodyLimit reads c.req.raw.body, which makes @hono/node-server build a full WHATWG
    // Request for every call, ~10% of a register's or complete's CPU; it still counts chunked bodies.
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamedBodyLimit(c, next);
    return Number(length) > deps.config.bodyLimitBytes ? tooLarge() : next();
  });

  const health = healthHandler(deps);
  app.get('/health', health);
  app.get('/api/health', health);

  app.route(`${API_PREFIX}/auth`, authRoutes(deps));
  const api = new Hono<AppEnv>();
  // Registrations start new uploads: they wait for the work in flight (see new-work-gate.ts),
  // before the session check and body parsing, so that work too is out of the busy turn.
  const newWork = new NewWorkGate();
  const admitNewWork: MiddlewareHandler<AppEnv> = async (_c, next) => {
    await newWork.admit();
    await next();
  };
  api.post('/uploads', admitNewWork);
  api.post('/uploads/batch', admitNewWork);
  api.use('*', requireSession(deps));
  api.route('/batches', batchRoutes(deps));
  api.route('/uploads', uploadRoutes(deps));
  api.route('/changes', changesRoute(deps));
  api.route('/documents', documentRoutes(deps));
  api.route('/documents', documentLifecycleRoutes(deps));
  api.route('/limits', limitsRoute(deps));
  api.route('/audit', auditRoutes(deps));
  api.route('/reprocess', reprocessRoute(deps));
  api.route('/providers', providerRoutes(deps));
  app.route(API_PREFIX, api);

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}.` } }, 404),
  );

  app.onError(answerError(deps));

  return app;
}

export type AppType = ReturnType<typeof createApp>;

/** Every error as `{error:{code,message}}` with the status of its kind; a store failure is 503, anything else 500 and logged. */
function answerError(deps: Pick<AppDeps, 'log'>): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof HTTPException && !(err instanceof AppError)) {
      const kind: ErrorKind = err.status === 413 ? 'too_large' : err.status === 400 ? 'invalid_input' : 'internal';
      return c.json({ error: { code: kind, message: err.message || 'Bad request.' } }, STATUS_BY_KIND[kind]);
    }
    if (err instanceof AppError)
      return c.json({ error: { code: err.kind, message: err.message } }, STATUS_BY_KIND[err.kind]);
    deps.log.error('http.unhandled', { requestId: c.get('requestId'), route: c.req.routePath, ...errorFields(err) });
    if (isStoreFailure(err)) {
      return c.json(
        {
          error: {
            code: 'unavailable',
            message: 'The object store failed or did not answer in time; try again shortly.',
          },
        },
        503,
      );
    }
    return c.json({ error: { code: 'internal', message: `Internal error (request ${c.get('requestId')}).` } }, 500);
  };
}
