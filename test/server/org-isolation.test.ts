import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchStats, RegisterUploadResponse, SignPartsResponse } from '../../common/api';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

describe('organisation isolation', () => {
  let srv: TestServer;
  let ownerToken: string;
  let strangerToken: string;
  let documentId: string;
  let batchId: string;
  let uploadId: string;

  beforeAll(async () => {
    srv = await startTestServer();
    ownerToken = await srv.login();
    await srv.addUser({
      org: 'Other Clinic',
      email: 'admin@other.test',
      password: 'other-clinic-password',
      role: 'admin',
    });
    strangerToken = await srv.login('admin@other.test', 'other-clinic-password');
    batchId = (await srv.api<BatchStats>(ownerToken, 'POST', '/batches', { name: 'owner batch' })).body.id;
    documentId = (await uploadBytes(srv, ownerToken, await makePdf('owned'), { batchId })).documentId;
    await waitFor(async () =>
      (await srv.api<{ status: string }>(ownerToken, 'GET', `/documents/${documentId}`)).body.status ===
      'review_pending'
        ? true
        : undefined,
    );
    const open = await makePdf('owned-open');
    uploadId = (
      await srv.api<RegisterUploadResponse & { uploadId: string }>(ownerToken, 'POST', '/uploads', {
        fileName: 'o.pdf',
        sizeBytes: open.byteLength,
        sha256: sha256Hex(open),
      })
    ).body.uploadId;
  });
  afterAll(async () => {
    await srv.stop();
  });

  const idRoutes = (): Array<[string, string, unknown?]> => [
    ['GET', `/documents/${documentId}`],
    ['PATCH', `/documents/${documentId}`, { decision: 'approve' }],
    ['POST', `/documents/${documentId}/review`, { decision: 'approve' }],
    ['GET', `/documents/${documentId}/content-url`],
    ['GET', `/documents/${documentId}/content`],
    ['GET', `/documents/${documentId}/text`],
    ['POST', `/documents/${documentId}/reprocess`],
    ['DELETE', `/documents/${documentId}`],
    ['GET', `/batches/${batchId}`],
    ['DELETE', `/batches/${batchId}`],
    ['POST', `/uploads/${uploadId}/parts`, { partNumbers: [1] }],
    ['GET', `/uploads/${uploadId}/parts`],
    ['POST', `/uploads/${uploadId}/complete`, { parts: [{ partNumber: 1, etag: '"e"' }] }],
    ['DELETE', `/uploads/${uploadId}`],
  ];

  it('answers 404 (not 403) to another organisation on every route that takes an id', async () => {
    for (const [method, route, body] of idRoutes()) {
      const res = await srv.api<{ error: { code: string } }>(strangerToken, method, route, body);
      expect({ method, route, status: res.status, code: res.body.error.code }).toEqual({
        method,
        route,
        status: 404,
        code: 'not_found',
      });
    }
  });

  it("refuses the batch calls another organisation's ids item by item, with the same 404", async () => {
    const refused = { outcome: 'error', status: 404, error: { code: 'not_found', message: expect.any(String) } };
    const reg = await srv.api<{ results: unknown[] }>(strangerToken, 'POST', '/uploads/batch', {
      files: [{ fileName: 'x.pdf', sizeBytes: 10, sha256: 'b'.repeat(64), batchId }],
    });
    expect(reg).toEqual({ status: 200, body: { results: [refused] } });
    const done = await srv.api<{ results: unknown[] }>(strangerToken, 'POST', '/uploads/complete-batch', {
      uploads: [{ uploadId, parts: [{ partNumber: 1, etag: '"e"' }] }],
    });
    expect(done).toEqual({ status: 202, body: { results: [refused] } });
  });

  it("refuses another organisation's complete-batch of an upload whose owner is completing it at that moment", async () => {
    // The batch route reads no upload itself (issue 17): completeUpload's first read refuses another
    // organisation, and a request never joins a complete of the same upload running for another one.
    const pdf = await makePdf('owned-racing');
    const reg = await srv.api<RegisterUploadResponse & { uploadId: string }>(ownerToken, 'POST', '/uploads', {
      fileName: 'r.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    const id = reg.body.uploadId;
    const signed = await srv.api<SignPartsResponse>(ownerToken, 'POST', `/uploads/${id}/parts`, { partNumbers: [1] });
    const put = await fetch(signed.body.urls[0]!.url, { method: 'PUT', body: pdf });
    const parts = [{ partNumber: 1, etag: put.headers.get('etag') }];
    const [owner, ...strangers] = await Promise.all([
      srv.api<{ documentId: string }>(ownerToken, 'POST', '/uploads/complete-batch', {
        uploads: [{ uploadId: id, parts }],
      }),
      ...[1, 2, 3].map(() =>
        srv.api<{ results: unknown[] }>(strangerToken, 'POST', '/uploads/complete-batch', {
          uploads: [{ uploadId: id, parts }],
        }),
      ),
    ]);
    expect(owner.body).toEqual({
      results: [expect.objectContaining({ outcome: 'completed', documentId: expect.any(String) })],
    });
    const refused = { outcome: 'error', status: 404, error: { code: 'not_found', message: expect.any(String) } };
    for (const s of strangers) expect(s).toEqual({ status: 202, body: { results: [refused] } });
  });

  it('leaves the owner able to use every one of those ids', async () => {
    expect((await srv.api(ownerToken, 'GET', `/documents/${documentId}`)).status).toBe(200);
    expect((await srv.api(ownerToken, 'GET', `/documents/${documentId}/text`)).status).toBe(200);
    expect((await srv.api(ownerToken, 'GET', `/batches/${batchId}`)).status).toBe(200);
    expect((await srv.api(ownerToken, 'GET', `/uploads/${uploadId}/parts`)).status).toBe(200);
  });

  it('hides the document from the other organisation everywhere else too', async () => {
    const feed = await srv.api<{ documents: Array<{ id: string }> }>(strangerToken, 'GET', '/changes?since=0');
    expect(feed.body.documents).toEqual([]);
    const batches = await srv.api<{ batches: unknown[] }>(strangerToken, 'GET', '/batches');
    expect(batches.body.batches).toEqual([]);
    const audit = await srv.api<{ events: unknown[] }>(strangerToken, 'GET', `/audit?documentId=${documentId}`);
    expect(audit.body.events).toEqual([]);
    const withBatch = await srv.api(strangerToken, 'POST', '/uploads', {
      fileName: 'x.pdf',
      sizeBytes: 10,
      sha256: 'a'.repeat(64),
      batchId,
    });
    expect(withBatch.status).toBe(404);
    // The same bytes in another organisation are a new upload, not the owner's duplicate.
    const pdf = await makePdf('owned');
    const reg = await srv.api<RegisterUploadResponse>(strangerToken, 'POST', '/uploads', {
      fileName: 'x.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    expect(reg.body.outcome).toBe('upload');
  });
});
