import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchStats, ChangesResponse, RegisterUploadResponse } from '../../common/api';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { objectExists, storeClient } from '../helpers/server-db';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes } from '../helpers/upload-client';

/** An admin deletes one document, audited, not only a whole batch (issue 14, finding 5). */
describe('deleting a single document', () => {
  let srv: TestServer;
  let admin: string;
  let reviewer: string;
  let stranger: string;
  let batchId: string;
  let pdf: Uint8Array;
  let doomed: { documentId: string; register: { body: RegisterUploadResponse } };
  let kept: string;

  beforeAll(async () => {
    srv = await startTestServer({ env: { CREDMATE_WORKERS: '0' } });
    admin = await srv.login();
    await srv.addUser({
      org: 'Local',
      email: 'reviewer@local.test',
      password: 'reviewer-password-1',
      role: 'reviewer',
    });
    await srv.addUser({
      org: 'Other Clinic',
      email: 'admin@other.test',
      password: 'other-clinic-password',
      role: 'admin',
    });
    reviewer = await srv.login('reviewer@local.test', 'reviewer-password-1');
    stranger = await srv.login('admin@other.test', 'other-clinic-password');
    batchId = (await srv.api<BatchStats>(admin, 'POST', '/batches', { name: 'mixed' })).body.id;
    pdf = await makePdf('wrong file');
    doomed = await uploadBytes(srv, admin, pdf, { batchId });
    kept = (await uploadBytes(srv, admin, await makePdf('right file'), { batchId })).documentId;
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('is refused to a reviewer (403) and to another organisation (404)', async () => {
    expect((await srv.api(reviewer, 'DELETE', `/documents/${doomed.documentId}`)).status).toBe(403);
    expect((await srv.api(stranger, 'DELETE', `/documents/${doomed.documentId}`)).status).toBe(404);
    expect((await srv.api(admin, 'GET', `/documents/${doomed.documentId}`)).status).toBe(200);
  });

  it('removes the document and its object, keeps the rest of its batch, and audits it', async () => {
    const rows = openServerRows(srv);
    const key = (await rows.get<{ object_key: string }>(
      'SELECT object_key FROM documents WHERE id = ?',
      doomed.documentId,
    ))!.object_key;
    await rows.close();
    const res = await srv.api(admin, 'DELETE', `/documents/${doomed.documentId}`);
    expect(res).toEqual({ status: 200, body: { deleted: doomed.documentId } });
    expect((await srv.api(admin, 'GET', `/documents/${doomed.documentId}`)).status).toBe(404);
    expect(await objectExists(storeClient(srv), srv.s3.bucket, key)).toBe(false);
    expect((await srv.api(admin, 'GET', `/documents/${kept}`)).status).toBe(200);
    expect((await srv.api<BatchStats>(admin, 'GET', `/batches/${batchId}`)).body.total).toBe(1);
    const feed = (await srv.api<ChangesResponse>(admin, 'GET', '/changes?since=0')).body;
    expect(feed.deletedIds).toEqual([doomed.documentId]);
    const events = (
      await srv.api<{ events: Array<{ action: string; actor: string }> }>(
        admin,
        'GET',
        `/audit?documentId=${doomed.documentId}`,
      )
    ).body.events;
    expect(events[0]).toMatchObject({ action: 'document.deleted', actor: 'local@credmate.localhost' });
    expect((await srv.api<{ ok: boolean }>(admin, 'GET', '/audit/verify')).body.ok).toBe(true);

    // Its upload URL, still within its lifetime, cannot put the bytes back; the file can be uploaded anew.
    // The embedded store refuses the sealed key (a one-part file's plain PUT URL, 403); an external
    // store is sent the part of a multipart upload already completed, which S3 no longer knows (404).
    if (doomed.register.body.outcome !== 'upload') throw new Error('expected an upload');
    const refused = srv.database === 'sqlite' ? [403, 'AccessDenied'] : [404, 'NoSuchUpload'];
    const put = await fetch(doomed.register.body.urls![0]!.url, { method: 'PUT', body: pdf });
    expect([put.status, (await put.text()).match(/<Code>(\w+)<\/Code>/)?.[1]]).toEqual(refused);
    expect(await objectExists(storeClient(srv), srv.s3.bucket, key)).toBe(false);
    const again = await srv.api<RegisterUploadResponse>(admin, 'POST', '/uploads', {
      fileName: 'f.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    expect(again).toMatchObject({ status: 201, body: { outcome: 'upload' } });
  });
});
