import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterUploadResponse, SignPartsResponse } from '../../common/api';
import { expectMultipartGone } from '../helpers/multipart-probe';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { objectExists, storeClient } from '../helpers/server-db';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitFor } from '../helpers/upload-client';

/**
 * Uploads registered and never completed do not keep their bytes forever (issue 14, finding 4):
 * past CREDMATE_UPLOAD_MAX_AGE_SECONDS the server aborts them and removes what was stored, and
 * their URLs store nothing more.
 */
describe('abandoned uploads', () => {
  let srv: TestServer;
  let token: string;

  beforeAll(async () => {
    srv = await startTestServer({ env: { CREDMATE_WORKERS: '0', CREDMATE_UPLOAD_MAX_AGE_SECONDS: '6' } });
    token = await srv.login();
  });
  afterAll(async () => {
    await srv.stop();
  });

  const state = async (uploadId: string) => {
    const rows = openServerRows(srv);
    try {
      const row = await rows.get<{ state: string; object_key: string; s3_upload_id: string; updated_at: unknown }>(
        'SELECT state, object_key, s3_upload_id, updated_at FROM uploads WHERE id = ?',
        uploadId,
      );
      if (!row) throw new Error(`no upload row ${uploadId}`);
      return row;
    } finally {
      await rows.close();
    }
  };
  /** Waits for the sweep to mark the upload aborted and then finish removing its bytes. */
  const swept = async (uploadId: string) => {
    const row = await waitFor(
      async () => {
        const r = await state(uploadId);
        return r.state === 'aborted' ? r : undefined;
      },
      30_000,
      'the sweep',
    );
    // An ISO string on SQLite, a timestamp on PostgreSQL: the moment the sweep marked it aborted.
    const abortedAt = new Date(row.updated_at as string | Date).getTime();
    // A sweep logs its count once its removals are done, and marks each upload aborted before removing it.
    await srv.waitForLog((l) => l.event === 'uploads.swept' && Date.parse(String(l.t)) >= abortedAt, 10_000);
    expect(srv.logs().some((l) => l.event === 'uploads.sweep_discard_failed' && l.uploadId === uploadId)).toBe(false);
  };

  it('aborts an open multipart upload past its age and removes its parts; its complete is then refused', async () => {
    const file = new Uint8Array(5 * 1024 * 1024 + 50);
    file.set(new TextEncoder().encode('%PDF-1.4 abandoned'));
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 'a.pdf',
      sizeBytes: file.byteLength,
      sha256: sha256Hex(file),
    });
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    const { uploadId } = reg.body;
    const url = (await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${uploadId}/parts`, { partNumbers: [1] }))
      .body.urls[0]!.url;
    const put = await fetch(url, { method: 'PUT', body: file.subarray(0, 5 * 1024 * 1024) });
    expect(put.status).toBe(200);
    const { object_key: key, s3_upload_id: s3UploadId } = await state(uploadId);
    await swept(uploadId);
    // The store's own answer on either deployment: the multipart upload and its parts are gone.
    await expectMultipartGone(srv, key, s3UploadId);
    if (srv.database === 'sqlite') {
      // The embedded store's parts folder inside the server's data dir (a standalone store's is its own).
      const partsDir = path.join(srv.dataDir, 'server', 'objects', srv.s3.bucket, '._S3rver_uploads', s3UploadId);
      expect(fs.existsSync(partsDir)).toBe(false);
    }
    const complete = await srv.api<{ error: { message: string } }>(token, 'POST', `/uploads/${uploadId}/complete`, {
      parts: [{ partNumber: 1, etag: put.headers.get('etag') }],
    });
    expect(complete.status).toBe(409);
    expect(complete.body.error.message).toMatch(/aborted; register the file again/);
    // Registering the file again starts afresh.
    expect(
      (
        await srv.api(token, 'POST', '/uploads', {
          fileName: 'a.pdf',
          sizeBytes: file.byteLength,
          sha256: sha256Hex(file),
        })
      ).status,
    ).toBe(201);
  });

  it('removes the bytes of an abandoned one-part upload; its URL stores nothing more', async () => {
    const pdf = await makePdf('abandoned single');
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 's.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    const { uploadId, urls } = reg.body;
    // The embedded store takes a one-part file by a plain PUT to its key; an external store (the
    // PostgreSQL deployment's) guards no keys, so there it is a one-part multipart upload.
    expect(reg.body.mode).toBe(srv.database === 'sqlite' ? 'single' : 'multipart');
    expect((await fetch(urls![0]!.url, { method: 'PUT', body: pdf })).status).toBe(200);
    const { object_key: key, s3_upload_id: s3UploadId } = await state(uploadId);
    await swept(uploadId);
    expect(await objectExists(storeClient(srv), srv.s3.bucket, key)).toBe(false);
    if (reg.body.mode === 'multipart') await expectMultipartGone(srv, key, s3UploadId);
    // Its URL is still within its lifetime, but the aborted upload's key takes no bytes again:
    // refused by the embedded store's guard (403), or as a part of no upload (404 NoSuchUpload).
    const late = await fetch(urls![0]!.url, { method: 'PUT', body: pdf });
    expect(late.status).toBe(reg.body.mode === 'single' ? 403 : 404);
    expect(await objectExists(storeClient(srv), srv.s3.bucket, key)).toBe(false);
  });
});
