import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server';

type Err = { error: { code: string; message: string } };

/** Sends a raw request; `chunks` go out with Transfer-Encoding: chunked (no Content-Length). */
function rawRequest(
  url: string,
  opts: { method: string; headers: Record<string, string>; chunks?: Buffer[]; body?: Buffer },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method, headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    if (opts.body) req.end(opts.body);
    else {
      for (const c of opts.chunks ?? []) req.write(c);
      req.end();
    }
  });
}

describe('bad input at the HTTP edge', () => {
  let srv: TestServer;
  let token: string;
  const limit = 64 * 1024;
  beforeAll(async () => {
    srv = await startTestServer({ env: { CREDMATE_BODY_LIMIT_BYTES: String(limit) } });
    token = await srv.login();
  });
  afterAll(async () => {
    await srv.stop();
  });
  const headers = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  it('answers 413 to an oversized body with Content-Length', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'x'.repeat(limit) }));
    const res = await rawRequest(`${srv.apiUrl}/api/v1/batches`, {
      method: 'POST',
      headers: { ...headers(), 'content-length': String(body.length) },
      body,
    });
    expect(res.status).toBe(413);
    expect((JSON.parse(res.body) as Err).error.code).toBe('too_large');
  });

  it('answers 413 to an oversized chunked body', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const res = await rawRequest(`${srv.apiUrl}/api/v1/batches`, {
      method: 'POST',
      headers: headers(),
      chunks: Array.from({ length: 6 }, () => chunk),
    });
    expect(res.status).toBe(413);
    expect((JSON.parse(res.body) as Err).error.message).toContain(String(limit));
  });

  it('answers 400 to malformed JSON, saying so', async () => {
    const res = await rawRequest(`${srv.apiUrl}/api/v1/batches`, {
      method: 'POST',
      headers: headers(),
      body: Buffer.from('{"name": "b1",'),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'invalid_input', message: 'The body is not valid JSON.' } });
  });

  it('answers 400 to a body that is not JSON at all', async () => {
    const res = await rawRequest(`${srv.apiUrl}/api/v1/batches`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'text/plain' },
      body: Buffer.from('name=b1'),
    });
    expect(res.status).toBe(400);
    expect((JSON.parse(res.body) as Err).error.message).toMatch(/Content-Type: application\/json/);
  });

  it('answers 400 naming the field when the JSON has the wrong shape', async () => {
    const res = await srv.api<Err>(token, 'POST', '/uploads', { fileName: 'a.pdf', sizeBytes: -1, sha256: 'XYZ' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/sizeBytes/);
    expect(res.body.error.message).toMatch(/sha256/);
  });

  it('answers 404 JSON for an unknown route and keeps serving', async () => {
    const res = await srv.api<Err>(token, 'GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await srv.api(token, 'GET', '/batches')).status).toBe(200);
  });
});
