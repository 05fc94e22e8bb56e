import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ServerLimits,
  type ChangesResponse,
  type CompleteUploadResponse,
  type DocumentDetail,
  type RegisterUploadResponse,
  type SignPartsResponse,
} from '../../common/api';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { objectExists, storeClient } from '../helpers/server-db';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

type Err = { error: { code: string; message: string } };
type Events = { events: Array<{ action: string; actor: string; details: Record<string, unknown> }> };

/**
 * Issue 16, server side: the limits a client's preflight checks come from the server and are the
 * ones its workers enforce; a failed document can be re-run, given another file or removed; a
 * decision can be undone. All over HTTP against the real server, store and worker.
 */
describe('limits, failed documents and undoing a decision', () => {
  let srv: TestServer;
  let admin: string;
  let reviewer: string;
  let otherReviewer: string;
  let uploader: string;
  let stranger: string;
  let failedId: string;
  let failedKey: string;

  const detail = async (id: string) => (await srv.api<DocumentDetail>(admin, 'GET', `/documents/${id}`)).body;
  const settled = (id: string, status: string) =>
    waitFor(
      async () => {
        const d = await detail(id);
        return d.status === status ? d : undefined;
      },
      90_000,
      `${id} ${status}`,
    );
  const audit = async (id: string) => (await srv.api<Events>(admin, 'GET', `/audit?documentId=${id}`)).body.events;

  beforeAll(async () => {
    // Small limits, so a short generated PDF crosses them (a four-page one has about 2.6 kB).
    srv = await startTestServer({ env: { CREDMATE_EXTRACTION_MAX_PAGES: '3', CREDMATE_EXTRACTION_MAX_BYTES: '2000' } });
    admin = await srv.login();
    const users = [
      ['reviewer@local.test', 'reviewer'],
      ['second@local.test', 'reviewer'],
      ['uploader@local.test', 'uploader'],
    ] as const;
    for (const [email, role] of users)
      await srv.addUser({ org: 'Local', email, password: 'violet-Harbor-71-quill', role });
    await srv.addUser({ org: 'Other Clinic', email: 'admin@other.test', password: 'violet-Harbor-71-quill' });
    reviewer = await srv.login('reviewer@local.test', 'violet-Harbor-71-quill');
    otherReviewer = await srv.login('second@local.test', 'violet-Harbor-71-quill');
    uploader = await srv.login('uploader@local.test', 'violet-Harbor-71-quill');
    stranger = await srv.login('admin@other.test', 'violet-Harbor-71-quill');

    // Larger than the document limit: stored, then refused by the worker.
    const long = await makePdf('too large', 4);
    expect(long.byteLength).toBeGreaterThan(2000);
    failedId = (await uploadBytes(srv, admin, long, { fileName: 'long.pdf' })).documentId;
    const failed = await settled(failedId, 'failed');
    expect(failed.failureReason).toMatch(/^too_large:/);
    const db = openServerRows(srv);
    failedKey = (await db.get<{ object_key: string }>('SELECT object_key FROM documents WHERE id = ?', failedId))!
      .object_key;
    await db.close();
  }, 180_000);
  afterAll(async () => {
    expect(await srv.stop()).toBe(0);
  });

  it('tells any signed-in user the limits it enforces (GET /limits)', async () => {
    const res = await srv.api(uploader, 'GET', '/limits');
    expect(res.status).toBe(200);
    const limits = ServerLimits.parse(res.body);
    // The document limit the worker applied above, and the page limit it was given.
    expect(limits).toMatchObject({ maxPages: 3, maxDocumentBytes: 2000, acceptsEncrypted: false });
    expect(limits.maxUploadBytes).toBeGreaterThanOrEqual(limits.maxDocumentBytes);
    expect(limits.mediaTypes).toEqual(['application/pdf']);
    expect((await srv.api(null, 'GET', '/limits')).status).toBe(401);
  });

  it('re-runs a failed document (reviewer), audited; 404 from another organisation', async () => {
    expect((await srv.api<Err>(stranger, 'POST', `/documents/${failedId}/reprocess`)).status).toBe(404);
    expect((await srv.api<Err>(uploader, 'POST', `/documents/${failedId}/reprocess`)).status).toBe(403);
    const rerun = await srv.api(reviewer, 'POST', `/documents/${failedId}/reprocess`);
    expect(rerun).toMatchObject({ status: 202, body: { documentId: failedId, status: 'uploaded' } });
    // The same file fails again, for the same reason.
    expect((await settled(failedId, 'failed')).failureReason).toMatch(/^too_large:/);
    expect(
      (await audit(failedId)).some((e) => e.action === 'document.reprocess' && e.actor === 'reviewer@local.test'),
    ).toBe(true);
  }, 120_000);

  it('replaces a failed document with another file, keeping its id; the old file is removed', async () => {
    const pdf = await makePdf('the right file', 2);
    const body = { fileName: 'right.pdf', sizeBytes: pdf.byteLength, sha256: sha256Hex(pdf) };
    expect((await srv.api<Err>(stranger, 'POST', `/documents/${failedId}/replace`, body)).status).toBe(404);
    const { cursor } = (await srv.api<ChangesResponse>(admin, 'GET', '/changes?since=0&limit=1000')).body;

    const reg = await srv.api<RegisterUploadResponse>(uploader, 'POST', `/documents/${failedId}/replace`, body);
    expect(reg.status).toBe(201);
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    // Registering the same replacement again resumes it.
    const again = await srv.api<RegisterUploadResponse>(uploader, 'POST', `/documents/${failedId}/replace`, body);
    expect(again).toMatchObject({ status: 200, body: { outcome: 'upload', uploadId: reg.body.uploadId } });
    // An ordinary register of the same bytes meanwhile is told what is under way.
    const plain = await srv.api<Err>(uploader, 'POST', '/uploads', body);
    expect(plain.status).toBe(409);
    expect(plain.body.error.message).toContain(failedId);

    const done = await sendParts(srv, uploader, reg.body, pdf);
    expect(done).toMatchObject({ status: 202, body: { documentId: failedId, status: 'uploaded' } });
    const replaced = await settled(failedId, 'review_pending');
    expect(replaced).toMatchObject({ fileName: 'right.pdf', sha256: sha256Hex(pdf), pages: 2, failureReason: null });
    expect(await objectExists(storeClient(srv), srv.s3.bucket, failedKey)).toBe(false);

    const feed = (await srv.api<ChangesResponse>(admin, 'GET', `/changes?since=${cursor}&limit=1000`)).body;
    expect(feed.documents.filter((d) => d.id === failedId).at(-1)?.status).toBe('review_pending');
    expect(feed.deletedIds).not.toContain(failedId);
    const event = (await audit(failedId)).find((e) => e.action === 'document.replaced');
    expect(event).toMatchObject({ actor: 'uploader@local.test', details: { sha256: sha256Hex(pdf) } });
    // The new bytes are now this document's: uploading them again is a duplicate of it.
    expect((await uploadBytes(srv, admin, pdf)).register.body).toMatchObject({
      outcome: 'duplicate',
      documentId: failedId,
    });
    // Only a failed document's file can be replaced.
    const refused = await srv.api<Err>(admin, 'POST', `/documents/${failedId}/replace`, body);
    expect(refused.status).toBe(409);
  }, 120_000);

  it('removes a failed document (admin only), audited, and the feed tells mirrors to drop it', async () => {
    const bytes = await makePdf('cut short', 1);
    const truncated = bytes.subarray(0, Math.floor(bytes.byteLength / 2));
    const id = (await uploadBytes(srv, admin, truncated, { fileName: 'cut.pdf' })).documentId;
    expect((await settled(id, 'failed')).failureReason).toMatch(/^(corrupt|unreadable):/);
    expect((await srv.api(stranger, 'DELETE', `/documents/${id}`)).status).toBe(404);
    expect((await srv.api(reviewer, 'DELETE', `/documents/${id}`)).status).toBe(403);
    expect(await srv.api(admin, 'DELETE', `/documents/${id}`)).toMatchObject({ status: 200, body: { deleted: id } });
    expect((await srv.api(admin, 'GET', `/documents/${id}`)).status).toBe(404);
    expect((await srv.api<ChangesResponse>(admin, 'GET', '/changes?since=0&limit=1000')).body.deletedIds).toContain(id);
    expect((await audit(id))[0]).toMatchObject({ action: 'document.deleted', details: { status: 'failed' } });
  }, 120_000);

  it('deleting a failed document aborts its open replacement: the same file registers again', async () => {
    const bytes = await makePdf('cut short again', 1);
    const truncated = bytes.subarray(0, Math.floor(bytes.byteLength / 2));
    const id = (await uploadBytes(srv, admin, truncated, { fileName: 'cut2.pdf' })).documentId;
    await settled(id, 'failed');
    const pdf = await makePdf('replacement never sent', 1);
    const body = { fileName: 'fix.pdf', sizeBytes: pdf.byteLength, sha256: sha256Hex(pdf) };
    const reg = await srv.api<RegisterUploadResponse>(uploader, 'POST', `/documents/${id}/replace`, body);
    expect(reg.status).toBe(201);
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    expect((await srv.api(admin, 'DELETE', `/documents/${id}`)).status).toBe(200);
    const db = openServerRows(srv);
    const row = await db.get('SELECT state, document_id FROM uploads WHERE id = ?', reg.body.uploadId);
    await db.close();
    expect(row).toEqual({ state: 'aborted', document_id: id });
    // Not "is replacing document X": a new upload of the same bytes.
    const again = await srv.api<RegisterUploadResponse>(uploader, 'POST', '/uploads', body);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ outcome: 'upload' });
    if (again.body.outcome !== 'upload') throw new Error('expected an upload');
    expect(again.body.uploadId).not.toBe(reg.body.uploadId);
  }, 120_000);

  it('undoes an approval: only its reviewer or an admin, back to review_pending in the feed, audited', async () => {
    const approve = await srv.api(reviewer, 'POST', `/documents/${failedId}/review`, { decision: 'approve' });
    expect(approve.status).toBe(200);
    // A later correction by someone else does not make them the approver.
    const corrected = await srv.api(otherReviewer, 'POST', `/documents/${failedId}/review`, { fields: { npi: null } });
    expect(corrected).toMatchObject({ status: 200, body: { status: 'approved', reviewedBy: 'reviewer@local.test' } });
    const { cursor } = (await srv.api<ChangesResponse>(admin, 'GET', '/changes?since=0&limit=1000')).body;

    expect((await srv.api(stranger, 'POST', `/documents/${failedId}/reopen`, {})).status).toBe(404);
    expect((await srv.api(otherReviewer, 'POST', `/documents/${failedId}/reopen`, {})).status).toBe(403);
    expect((await srv.api(uploader, 'POST', `/documents/${failedId}/reopen`, {})).status).toBe(403);
    const undo = await srv.api(reviewer, 'POST', `/documents/${failedId}/reopen`, { reason: 'approved too fast' });
    expect(undo).toMatchObject({ status: 200, body: { documentId: failedId, status: 'review_pending' } });
    expect(await detail(failedId)).toMatchObject({ status: 'review_pending', reviewedBy: null, reviewedAt: null });
    const feed = (await srv.api<ChangesResponse>(admin, 'GET', `/changes?since=${cursor}`)).body;
    expect(feed.documents.map((d) => [d.id, d.status])).toEqual([[failedId, 'review_pending']]);
    expect((await audit(failedId)).find((e) => e.action === 'document.reopened')).toMatchObject({
      actor: 'reviewer@local.test',
      details: { from: 'approved', decidedBy: 'reviewer@local.test', reason: 'approved too fast' },
    });
    // Nothing left to undo.
    expect((await srv.api<Err>(reviewer, 'POST', `/documents/${failedId}/reopen`, {})).status).toBe(409);

    // An admin may undo another reviewer's rejection.
    await srv.api(otherReviewer, 'POST', `/documents/${failedId}/review`, { decision: 'reject', reason: 'blurred' });
    expect((await srv.api(admin, 'POST', `/documents/${failedId}/reopen`, {})).status).toBe(200);
    expect(await detail(failedId)).toMatchObject({ status: 'review_pending', failureReason: null });
    expect((await srv.api<{ ok: boolean }>(admin, 'GET', '/audit/verify')).body.ok).toBe(true);
  }, 60_000);
});

/** Signs, PUTs and completes the parts of a registered upload, as a client does. */
async function sendParts(
  srv: TestServer,
  token: string,
  reg: Extract<RegisterUploadResponse, { outcome: 'upload' }>,
  bytes: Uint8Array,
): Promise<{ status: number; body: CompleteUploadResponse }> {
  const partNumbers = Array.from({ length: reg.partCount }, (_, i) => i + 1);
  const signed = await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${reg.uploadId}/parts`, { partNumbers });
  const parts = [];
  for (const { partNumber, url } of signed.body.urls) {
    const chunk = bytes.subarray((partNumber - 1) * reg.partSizeBytes, partNumber * reg.partSizeBytes);
    const put = await fetch(url, { method: 'PUT', body: chunk, signal: AbortSignal.timeout(30_000) });
    if (!put.ok) throw new Error(`PUT part ${partNumber}: ${put.status}`);
    parts.push({ partNumber, etag: put.headers.get('etag') ?? '' });
  }
  return srv.api<CompleteUploadResponse>(token, 'POST', `/uploads/${reg.uploadId}/complete`, { parts });
}
