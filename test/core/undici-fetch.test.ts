import ky, { TimeoutError } from 'ky';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFailure, toHttpFailure } from '../../main/core/http-failure';
import { undiciFetch } from '../../main/core/undici-fetch';

/** ky over undici's request(): what fetch would have given, for every way a call ends. */
describe('undiciFetch (ky transport)', () => {
  const dispatcher = new Agent({ keepAliveTimeout: 1_000 });
  const client = ky.create({ retry: 0, timeout: 5_000, fetch: undiciFetch(dispatcher) });
  let server: http.Server;
  let base = '';
  const received: Array<{ method: string; length: string | undefined; bytes: number }> = [];
  let hung = 0;
  let hungClosed = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          length: req.headers['content-length'],
          bytes: Buffer.concat(chunks).length,
        });
        if (req.url === '/json') {
          res.setHeader('set-cookie', ['a=1', 'b=2']);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ echo: Buffer.concat(chunks).toString() }));
        } else if (req.url === '/missing') {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'not_found', message: 'No document d1.' } }));
        } else if (req.url === '/empty') {
          res.writeHead(204, { etag: '"e1"' });
          res.end();
        } else if (req.url === '/hang') {
          hung++; // never answers
          req.socket.once('close', () => hungClosed++);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await dispatcher.close();
  });

  it('sends JSON and reads the answer, its status and every header value', async () => {
    const res = await client.post(`${base}/json`, { json: { a: 1 } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await res.json()).toEqual({ echo: '{"a":1}' });
  });

  it('sends a body given to the transport with its exact length, and reads a 204 as empty', async () => {
    const body = new Uint8Array(3 * 1024 * 1024 + 1).fill(7);
    const res = await client.put(`${base}/empty`, { fetch: undiciFetch(dispatcher, body) });
    expect(res.status).toBe(204);
    expect(res.headers.get('etag')).toBe('"e1"');
    expect(await res.text()).toBe('');
    expect(received.at(-1)).toEqual({ method: 'PUT', length: String(body.length), bytes: body.length });
  });

  it("turns an error answer into ky's HTTPError, read as the server's own message", async () => {
    const err = await toHttpFailure(
      await client.get(`${base}/missing`).catch((e: unknown) => e),
      'Reading the document',
    );
    expect(err).toBeInstanceOf(HttpFailure);
    expect(err).toMatchObject({ kind: 'not_found', status: 404, message: 'No document d1.' });
  });

  it('reports a refused connection as a network failure (the engine goes offline)', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await toHttpFailure(
      await client.get(`http://127.0.0.1:${port}/`).catch((e: unknown) => e),
      'Health check',
    );
    expect(err).toMatchObject({ kind: 'network', status: null });
    expect((err as Error).message).toContain(`cannot reach the server: nothing is answering at 127.0.0.1:${port}`);
  });

  it('gives up at the deadline on a server that never answers, and drops the connection', async () => {
    const before = hung;
    const started = performance.now();
    const err = await client.get(`${base}/hang`, { timeout: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(hung).toBe(before + 1);
    // The request is cancelled, not left running: the server sees its socket closed.
    await expect.poll(() => hungClosed).toBe(before + 1);
  });

  it("stops at the caller's abort with the caller's reason", async () => {
    const ctrl = new AbortController();
    const pending = client.get(`${base}/hang`, { signal: ctrl.signal });
    setTimeout(() => ctrl.abort(new DOMException('Paused', 'AbortError')), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', message: 'Paused' });
  });
});
