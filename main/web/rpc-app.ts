/**
 * The HTTP carriage of the IPC contract for `npm run web`: a transport only. Every call goes
 * through the same `dispatch` the Electron IPC uses.
 *
 * Wire format:
 *  - POST /rpc/<channel> with `Authorization: Bearer <token>` and body `{"arg": ...}`; replies 200
 *    with a Result envelope as JSON, except a successful Uint8Array reply, which travels as raw
 *    `application/octet-stream` bytes (a PDF in base64 JSON would cost a third more and a copy).
 *  - GET /events with the same header: server-sent events, `event: <name>`, `data: <json>`.
 *  - Everything else: the built renderer.
 * A Host check (DNS rebinding) and an Origin check guard every request; the random per-run
 * token keeps other local pages and users from driving the app.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { serveStatic } from '@hono/node-server/serve-static';
import { dispatch, type Handlers } from '../services/dispatch';
import type { EventBus } from '../services/event-bus';
import type { ReadablePaths } from '../services/picked-paths';
import { CONTENT_SECURITY_POLICY } from '../content-security-policy';

export interface WebAppOptions {
  handlers: Handlers;
  bus: EventBus;
  /** The local paths the page may have read (in `npm run web`, the paths the user typed). */
  readable: ReadablePaths;
  token: string;
  /** Folder of the built renderer (vite.web.config.ts output). */
  staticDir: string;
  /** Host header values accepted, e.g. `127.0.0.1:5173`; known once the socket listens. */
  allowedHosts: () => ReadonlySet<string>;
  /** Seconds between SSE keep-alive comments. */
  keepAliveSeconds?: number;
}

function tokenMatches(expected: string, header: string | undefined): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function jsonError(c: Context, status: 400 | 401 | 403 | 404 | 413, kind: string, message: string) {
  return c.json({ ok: false, error: { kind, message } }, status);
}

export function createWebApp(opts: WebAppOptions): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    const host = c.req.header('host') ?? '';
    if (!opts.allowedHosts().has(host)) return c.text('Unknown Host header.', 403);
    const origin = c.req.header('origin');
    if (origin !== undefined && !opts.allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
      return c.text('Cross-origin requests are not accepted.', 403);
    }
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
  });

  app.use('/rpc/*', async (c, next) => {
    if (!tokenMatches(opts.token, c.req.header('authorization')))
      return jsonError(c, 401, 'auth', 'Missing or wrong token: open the URL that `npm run web` printed.');
    await next();
  });
  app.use('/events', async (c, next) => {
    if (!tokenMatches(opts.token, c.req.header('authorization')))
      return jsonError(c, 401, 'auth', 'Missing or wrong token: open the URL that `npm run web` printed.');
    await next();
  });

  app.post('/rpc/:channel', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return jsonError(c, 400, 'invalid_input', 'The request body must be JSON: {"arg": ...}.');
    }
    const arg = typeof body === 'object' && body !== null ? (body as { arg?: unknown }).arg : undefined;
    const result = await dispatch(opts.handlers, c.req.param('channel'), arg, opts.readable);
    if (result.ok && result.value instanceof Uint8Array) {
      const bytes = result.value;
      return c.body(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, 200, {
        'Content-Type': 'application/octet-stream',
      });
    }
    // `undefined` (void replies) does not survive JSON: send null, the client maps it back.
    return c.json(result.ok ? { ok: true, value: result.value ?? null } : result);
  });

  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      const pending: Array<{ event: string; data: string }> = [];
      let wake: (() => void) | null = null;
      const unsubscribe = opts.bus.subscribe((event, payload) => {
        pending.push({ event, data: JSON.stringify(payload) });
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: '{}' });
      const keepAliveMs = (opts.keepAliveSeconds ?? 15) * 1000;
      while (!stream.aborted) {
        const message = pending.shift();
        if (message) {
          await stream.writeSSE(message);
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, keepAliveMs);
        });
        wake = null;
        // A comment line keeps proxies and idle timers from closing a quiet stream.
        if (pending.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
      }
      unsubscribe();
    }),
  );

  app.use('/*', serveStatic({ root: opts.staticDir }));
  app.get('*', serveStatic({ root: opts.staticDir, path: 'index.html' }));
  return app;
}
