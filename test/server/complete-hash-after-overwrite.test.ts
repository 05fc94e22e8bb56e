import crypto from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterUploadResponse } from '../../common/api';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { startTestServer, type TestServer } from '../helpers/test-server';

/**
 * Complete checks the SHA-256 of the bytes the store holds when it is called, now that the
 * embedded store answers it from the hash it took during the PUT (issue 17): a one-part upload's
 * URL PUT twice before complete is judged by its last bytes, and a body cut short stores nothing.
 * On PostgreSQL the server uses an external store (`credmate store`), where the one-part upload is
 * a multipart one: the same answers, through CompleteMultipartUpload.
 */
describe('complete after the same URL was PUT more than once', () => {
  let srv: TestServer;
  let token: string;

  beforeAll(async () => {
    srv = await startTestServer();
    token = await srv.login();
  });
  afterAll(async () => {
    await srv.stop();
  });

  const start = async (bytes: Uint8Array) => {
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 'f.pdf',
      sizeBytes: bytes.byteLength,
      sha256: sha256Hex(bytes),
    });
    if (reg.body.outcome !== 'upload' || reg.body.partCount !== 1) throw new Error('expected a one-part upload');
    const url = reg.body.urls?.[0]?.url;
    if (!url) throw new Error('expected the part URL in the register answer');
    return { uploadId: reg.body.uploadId, url };
  };
  const put = async (url: string, body: Uint8Array) => {
    const res = await fetch(url, { method: 'PUT', body });
    expect(res.status).toBe(200);
    return res.headers.get('etag');
  };
  const complete = (uploadId: string, etag: string | null) =>
    srv.api<{ error?: { message: string } }>(token, 'POST', `/uploads/${uploadId}/complete`, {
      parts: [{ partNumber: 1, etag }],
    });

  it('refuses other bytes PUT over the genuine ones, and accepts the genuine ones PUT over others', async () => {
    const genuine = await makePdf('overwritten before complete', 2);
    const fake = crypto.randomBytes(genuine.byteLength);

    const first = await start(genuine);
    await put(first.url, genuine);
    const fakeEtag = await put(first.url, fake);
    const refused = await complete(first.uploadId, fakeEtag);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toMatch(/do not match the SHA-256 registered/);

    const second = await start(genuine);
    await put(second.url, fake);
    const etag = await put(second.url, genuine);
    expect((await complete(second.uploadId, etag)).status).toBe(202);
  });

  it('refuses a complete whose only PUT was cut short, then accepts the whole bytes PUT again', async () => {
    const genuine = await makePdf('cut short', 1);
    const { uploadId, url } = await start(genuine);
    // The signed length, but the connection ends 10 bytes early.
    await new Promise<void>((resolve) => {
      const req = http.request(url, { method: 'PUT', headers: { 'content-length': genuine.byteLength } });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.write(genuine.subarray(0, genuine.byteLength - 10), () => setTimeout(() => req.destroy(), 50));
    });
    const done = await complete(uploadId, `"${'0'.repeat(32)}"`);
    expect(done.status).toBe(400);
    // Nothing was stored: the embedded store's one-part upload is a plain PUT to its key, which
    // complete finds missing; an external store's (the PostgreSQL deployment's) is a one-part
    // multipart upload, whose store refuses a part list naming a part it never stored.
    expect(done.body.error?.message).toMatch(
      srv.database === 'sqlite' ? /never stored/ : /store refused the part list \(InvalidPart\)/,
    );
    expect((await complete(uploadId, await put(url, genuine))).status).toBe(202);
  });
});
