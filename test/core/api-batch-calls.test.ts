import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../../common/api';
import { AppError } from '../../common/errors';
import { ApiClient } from '../../main/core/api-client';
import { HttpFailure } from '../../main/core/http-failure';

/**
 * The batched register and complete calls go over undici's request() directly, not ky: every way
 * such a call ends must read as it did through ky (the retry table and the messages depend on it).
 */
describe('batched register and complete calls (undici request, not ky)', () => {
  let server: http.Server;
  let base = '';
  const seen: Array<{ url: string; auth: string | undefined; type: string | undefined; body: unknown }> = [];
  /** What the next request is answered with. */
  let answer: { status: number; body: string; headers?: Record<string, string> } | 'hang' = { status: 200, body: '' };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          url: req.url ?? '',
          auth: req.headers.authorization,
          type: req.headers['content-type'],
          body: JSON.parse(Buffer.concat(chunks).toString()) as unknown,
        });
        if (answer === 'hang') return;
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const file = { fileName: 'a.pdf', sizeBytes: 10, sha256: 'a'.repeat(64) };

  it('sends the JSON body with the bearer token and returns the checked answer', async () => {
    const api = new ApiClient(base, { token: 'tok-1' });
    const uploadId = '11111111-1111-4111-8111-111111111111';
    answer = {
      status: 200,
      body: JSON.stringify({
        results: [{ outcome: 'upload', uploadId, partSizeBytes: 5 << 20, partCount: 1 }],
      }),
    };
    const res = await api.registerUploads([file]);
    expect(res.results[0]).toMatchObject({ outcome: 'upload', uploadId, partCount: 1 });
    expect(seen.at(-1)).toEqual({
      url: `${API_PREFIX}/uploads/batch`,
      auth: 'Bearer tok-1',
      type: 'application/json',
      body: { files: [file] },
    });

    answer = {
      status: 200,
      body: JSON.stringify({ results: [{ outcome: 'completed', documentId: uploadId, status: 'uploaded' }] }),
    };
    const done = await api.completeUploads([{ uploadId, parts: [{ partNumber: 1, etag: '"e"' }] }]);
    expect(done.results[0]).toMatchObject({ outcome: 'completed', documentId: uploadId });
    expect(seen.at(-1)?.url).toBe(`${API_PREFIX}/uploads/complete-batch`);
  });

  it("maps the server's error answers as ky's path did: kind from the code, status, Retry-After", async () => {
    const api = new ApiClient(base, { token: 'tok-1' });
    answer = {
      status: 429,
      body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests; wait.' } }),
      headers: { 'retry-after': '3' },
    };
    const limited = await api.registerUploads([file]).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(HttpFailure);
    expect(limited).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 3000,
      message: 'Too many requests; wait.',
    });

    answer = { status: 401, body: JSON.stringify({ error: { code: 'auth', message: 'Session expired.' } }) };
    expect(await api.registerUploads([file]).catch((e: unknown) => e)).toMatchObject({ kind: 'auth', status: 401 });

    // Not the API's JSON error: the status and the start of the body.
    answer = { status: 502, body: 'bad gateway' };
    expect(await api.registerUploads([file]).catch((e: unknown) => e)).toMatchObject({
      kind: 'unavailable',
      status: 502,
      message: 'Registering the uploads: HTTP 502 (bad gateway)',
    });
  });

  it('refuses an answer of the wrong shape, and one that is not JSON', async () => {
    const api = new ApiClient(base, { token: 'tok-1' });
    for (const body of [JSON.stringify({ nope: 1 }), 'not json']) {
      answer = { status: 200, body };
      const err = await api.registerUploads([file]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ kind: 'internal' });
      expect((err as Error).message).toMatch(/^Registering the uploads: the server answered in an unexpected shape/);
    }
  });

  it('stops on its signal with the abort itself, not a network failure', async () => {
    const api = new ApiClient(base, { token: 'tok-1' });
    answer = 'hang';
    const ctrl = new AbortController();
    const call = api.registerUploads([file], ctrl.signal).catch((e: unknown) => e);
    setTimeout(() => ctrl.abort(new DOMException('Paused', 'AbortError')), 50);
    const err = await call;
    expect(err).toBeInstanceOf(DOMException);
    expect((err as DOMException).name).toBe('AbortError');
    expect((err as DOMException).message).toBe('Paused');
  });

  it('reads an unreachable server as kind network and tells the onUnreachable listeners', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const api = new ApiClient(`http://127.0.0.1:${port}`, { token: 'tok-1' });
    const heard: AppError[] = [];
    api.onUnreachable((e) => heard.push(e));
    const err = await api
      .completeUploads([{ uploadId: 'u', parts: [{ partNumber: 1, etag: 'e' }] }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpFailure);
    expect(err).toMatchObject({ kind: 'network', status: null });
    expect((err as Error).message).toMatch(/^Completing the uploads: cannot reach the server/);
    expect(heard).toEqual([err]);
  });
});
