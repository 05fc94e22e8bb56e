/**
 * The contract bridge of `npm run web`: the renderer's HTTP transport against the real Hono app
 * and the real dispatch over loopback. Handlers here are plain functions standing in for the
 * services (those are exercised by the UI tests against the real server).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors';
import type { Handlers } from '../../main/services/dispatch';
import { createEventBus } from '../../main/services/event-bus';
import { PickedPaths } from '../../main/services/picked-paths';
import { createWebApp } from '../../main/web/rpc-app';
import type { IpcEvents } from '../../preload/contract';
import { BridgeError } from '../../renderer/bridge/bridge-error';
import { createWebTransport } from '../../renderer/bridge/web-transport';

const TOKEN = 'test-token-0123456789';
const pdfBytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
const bus = createEventBus();
const seen: unknown[] = [];
const handlers = new Proxy({} as Handlers, {
  get: (_t, channel: string) => async (arg: unknown) => {
    seen.push({ channel, arg });
    if (channel === 'documents.content') return pdfBytes;
    if (channel === 'documents.get') throw new AppError('not_found', 'No such document.');
    if (channel === 'queue.pause') return undefined;
    if (channel === 'import.scan') return { scanId: 's1' };
    if (channel === 'queue.list') return { total: 1, items: [{ id: 'f1' }] };
    throw new Error('boom');
  },
});

let dir: string;
let origin: string;
let server: ReturnType<typeof serve>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'credmate-web-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
  let hosts: ReadonlySet<string> = new Set();
  const app = createWebApp({
    handlers,
    bus,
    // As `npm run web` runs it: a browser tab has no picker, so typed paths count as picked.
    readable: new PickedPaths({ typedPathsArePicked: true }),
    token: TOKEN,
    staticDir: dir,
    allowedHosts: () => hosts,
    keepAliveSeconds: 1,
  });
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  hosts = new Set([`127.0.0.1:${port}`]);
  origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  (server as unknown as { closeAllConnections(): void }).closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('web transport', () => {
  it('scans a path the user typed: a browser tab has no picker, so typed paths count as picked', async () => {
    const t = createWebTransport({ baseUrl: origin, token: TOKEN });
    await expect(t.invoke('import.scan', { paths: [dir] })).resolves.toEqual({ scanId: 's1' });
    expect(seen.at(-1)).toEqual({ channel: 'import.scan', arg: { paths: [dir] } });
  });

  it('carries a call and its reply', async () => {
    const t = createWebTransport({ baseUrl: origin, token: TOKEN });
    await expect(t.invoke('queue.list', { offset: 0, limit: 5 })).resolves.toEqual({ total: 1, items: [{ id: 'f1' }] });
    expect(seen.at(-1)).toEqual({ channel: 'queue.list', arg: { offset: 0, limit: 5 } });
  });

  it('returns Uint8Array replies byte for byte', async () => {
    const t = createWebTransport({ baseUrl: origin, token: TOKEN });
    const bytes = await t.invoke('documents.content', { id: 'd1' });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes).equals(Buffer.from(pdfBytes))).toBe(true);
  });

  it('maps void replies back to undefined', async () => {
    const t = createWebTransport({ baseUrl: origin, token: TOKEN });
    await expect(t.invoke('queue.pause', {})).resolves.toBeUndefined();
  });

  it('keeps error kinds; internal errors stay internal', async () => {
    const t = createWebTransport({ baseUrl: origin, token: TOKEN });
    const err = await t.invoke('documents.get', { id: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ kind: 'not_found', message: 'No such document.' });
    await expect(t.invoke('batches.stats', { batchId: 'b' })).rejects.toMatchObject({
      kind: 'internal',
      message: 'boom',
    });
  });

  it('validates arguments at the door', async () => {
    const t = createWebTransport({ baseUrl: origin, token: TOKEN });
    const before = seen.length;
    await expect(t.invoke('queue.list', { offset: 0, limit: 5000 })).rejects.toMatchObject({ kind: 'invalid_input' });
    await expect(t.invoke('nope' as never, undefined as never)).rejects.toMatchObject({ kind: 'invalid_input' });
    expect(seen.length).toBe(before);
  });

  it('refuses a wrong or missing token', async () => {
    const t = createWebTransport({ baseUrl: origin, token: 'wrong' });
    await expect(t.invoke('queue.list', { offset: 0, limit: 5 })).rejects.toMatchObject({ kind: 'auth' });
    const res = await fetch(`${origin}/rpc/queue.list`, { method: 'POST', body: '{"arg":{"offset":0,"limit":1}}' });
    expect(res.status).toBe(401);
    const events = await fetch(`${origin}/events`);
    expect(events.status).toBe(401);
  });

  it('refuses foreign Host headers (DNS rebinding) and cross-origin calls, even with the token', async () => {
    const { request } = await import('node:http');
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${origin}/rpc/queue.list`,
          { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, ...headers } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end('{"arg":{"offset":0,"limit":1}}');
      });
    expect(await status({ Host: 'evil.example' })).toBe(403);
    expect(await status({ Origin: 'https://evil.example' })).toBe(403);
    expect(await status({})).toBe(200);
  });

  it('serves the renderer with the CSP header', async () => {
    const res = await fetch(`${origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>app</title>');
  });

  it('pushes events over the stream to listeners of that event only', async () => {
    const t = createWebTransport({ baseUrl: origin, token: TOKEN });
    const got: Array<IpcEvents['documents.changed']> = [];
    const other: unknown[] = [];
    t.on('documents.changed', (p) => got.push(p));
    t.on('queue.items', (p) => other.push(p));
    // The stream connects asynchronously: emit until the first delivery arrives.
    for (let i = 0; i < 100 && got.length === 0; i++) {
      bus.emit('documents.changed', { ids: ['d1'] });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(got[0]).toEqual({ ids: ['d1'] });
    expect(other).toEqual([]);
    t.close();
  });
});
