import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail, RegisterUploadResponse, SignPartsResponse } from '../../common/api';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { objectExists, storeClient } from '../helpers/server-db';
import { openServerRows, type ServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitFor } from '../helpers/upload-client';

/**
 * The embedded store's single-PUT uploads (moved out of uploads.test.ts, which also runs on
 * PostgreSQL): a one-part file is a plain PUT to its final key, with no multipart upload, because
 * the embedded store refuses PUTs to the key of a completed or aborted upload (it reads the
 * server's SQLite file). An external store (the PostgreSQL deployment's `credmate store`, S3)
 * guards no keys, so there the server opens a one-part multipart upload instead, which
 * uploads.test.ts and abandoned-uploads.test.ts cover on both databases. Not in the postgres list.
 */
describe('one-part uploads on the embedded store', () => {
  let srv: TestServer;
  let token: string;
  let rows: ServerRows;
  const detail = async (id: string) => (await srv.api<DocumentDetail>(token, 'GET', `/documents/${id}`)).body;

  beforeAll(async () => {
    srv = await startTestServer({ database: 'sqlite' });
    token = await srv.login();
    rows = openServerRows(srv);
  });
  afterAll(async () => {
    await rows?.close();
    expect(await srv.stop()).toBe(0);
  });

  it('stores a one-part file by a plain PUT to its key: complete checks it is there, abort removes it', async () => {
    const pdf = await makePdf('single');
    const req = { fileName: 'one.pdf', sizeBytes: pdf.byteLength, sha256: sha256Hex(pdf) };
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', req);
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    expect(reg.body).toMatchObject({ mode: 'single', partCount: 1 });
    const uploadId = reg.body.uploadId;
    const row = async () =>
      (await rows.get<{ object_key: string; s3_upload_id: string; state: string }>(
        'SELECT object_key, s3_upload_id, state FROM uploads WHERE id = ?',
        uploadId,
      ))!;
    const { object_key: key } = await row();
    // No multipart upload on the store; the URL writes the final key itself.
    expect((await row()).s3_upload_id).toBe('');
    const url = reg.body.urls![0]!.url;
    expect(new URL(url).pathname).toBe(`/${srv.s3.bucket}/${key}`);
    expect(new URL(url).searchParams.has('uploadId')).toBe(false);
    const early = await srv.api<{ error: { message: string } }>(
      token,
      'POST',
      `/uploads/${reg.body.uploadId}/complete`,
      { parts: [{ partNumber: 1, etag: '"e"' }] },
    );
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/never stored/);
    expect((await fetch(url, { method: 'PUT', body: pdf })).status).toBe(200);
    expect(await objectExists(storeClient(srv), srv.s3.bucket, key)).toBe(true);
    expect((await srv.api(token, 'DELETE', `/uploads/${reg.body.uploadId}`)).status).toBe(204);
    expect(await objectExists(storeClient(srv), srv.s3.bucket, key)).toBe(false);
    expect((await row()).state).toBe('aborted');

    // Registered again, sent on a re-signed URL and completed: a document with the stored bytes.
    const again = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', req);
    if (again.body.outcome !== 'upload') throw new Error('expected an upload');
    const signed = await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${again.body.uploadId}/parts`, {
      partNumbers: [1],
    });
    const put = await fetch(signed.body.urls[0]!.url, { method: 'PUT', body: pdf });
    expect(put.status).toBe(200);
    const done = await srv.api<{ documentId: string }>(token, 'POST', `/uploads/${again.body.uploadId}/complete`, {
      parts: [{ partNumber: 1, etag: put.headers.get('etag') }],
    });
    expect(done.status).toBe(202);
    // The URL is still valid, but a completed upload's object is not replaced.
    const late = await fetch(signed.body.urls[0]!.url, { method: 'PUT', body: new Uint8Array(pdf.byteLength) });
    expect(late.status).toBe(403);
    const doc = (await rows.get<{ object_key: string; size_bytes: number }>(
      'SELECT object_key, size_bytes FROM documents WHERE id = ?',
      done.body.documentId,
    ))!;
    expect(doc.object_key.endsWith(`/${again.body.uploadId}.pdf`)).toBe(true);
    const content = await srv.api<{ url: string }>(token, 'GET', `/documents/${done.body.documentId}/content-url`);
    const stored = await fetch(content.body.url);
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(pdf);
    expect(doc.size_bytes).toBe(pdf.byteLength);
    // Let its extraction finish, so later tests see a quiet change feed.
    await waitFor(async () =>
      ['uploaded', 'processing'].includes((await detail(done.body.documentId)).status) ? undefined : true,
    );
  });

  it("hashes its own upload URLs' bodies once: their ETag is the SHA-256, unless a Content-MD5 asks for MD5", async () => {
    const hex = (algorithm: string, b: Uint8Array) => crypto.createHash(algorithm).update(b).digest('hex');
    const register = async (body: Uint8Array, fileName: string) => {
      const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
        fileName,
        sizeBytes: body.byteLength,
        sha256: sha256Hex(body),
      });
      if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
      return reg.body;
    };
    const pdf = await makePdf('etag of a single PUT');
    const single = await register(pdf, 'single.pdf');
    const url = single.urls![0]!.url;
    expect(new URL(url).searchParams.get('x-credmate-etag')).toBe('sha256');
    // The marker is signed with the URL: without it the store refuses the URL, it does not fall back.
    const unmarked = new URL(url);
    unmarked.searchParams.delete('x-credmate-etag');
    expect((await fetch(unmarked, { method: 'PUT', body: pdf })).status).toBe(403);
    // A Content-MD5 is still checked, and then the ETag is S3's MD5.
    const wrongMd5 = crypto.createHash('md5').update('another body').digest('base64');
    const refused = await fetch(url, { method: 'PUT', body: pdf, headers: { 'content-md5': wrongMd5 } });
    expect([refused.status, await refused.text()]).toEqual([400, expect.stringContaining('BadDigest')]);
    const md5 = crypto.createHash('md5').update(pdf).digest('base64');
    const checked = await fetch(url, { method: 'PUT', body: pdf, headers: { 'content-md5': md5 } });
    expect(checked.headers.get('etag')).toBe(`"${hex('md5', pdf)}"`);
    const put = await fetch(url, { method: 'PUT', body: pdf });
    expect(put.headers.get('etag')).toBe(`"${hex('sha256', pdf)}"`);

    // Parts too; the whole object's ETag is then made of the parts' SHA-256s, and complete accepts them.
    const big = new Uint8Array(6 * 1024 * 1024);
    big.set(pdf);
    const multi = await register(big, 'two-parts.pdf');
    expect(multi.partCount).toBe(2);
    const parts = [];
    for (const { partNumber, url: partUrl } of multi.urls!) {
      const body = big.subarray((partNumber - 1) * multi.partSizeBytes, partNumber * multi.partSizeBytes);
      const res = await fetch(partUrl, { method: 'PUT', body });
      expect(res.headers.get('etag')).toBe(`"${hex('sha256', body)}"`);
      parts.push({ partNumber, etag: res.headers.get('etag') });
    }
    const done = await srv.api(token, 'POST', `/uploads/${multi.uploadId}/complete`, { parts });
    expect(done.status).toBe(202);
  });
});
