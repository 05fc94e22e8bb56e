import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterUploadResponse, SignPartsResponse } from '../../common/api';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { objectExists, openServerDb, storeClient } from '../helpers/server-db';
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

  const state = (uploadId: string) => {
    const db = openServerDb(srv);
    try {
      return db.prepare('SELECT state, object_key, s3_upload_id FROM uploads WHERE id = ?').get(uploadId) as {
        state: string;
        object_key: string;
        s3_upload_id: string;
      };
    } finally {
      db.close();
    }
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
    const partsDir = path.join(
      srv.dataDir,
      'server',
      'objects',
      srv.s3.bucket,
      '._S3rver_uploads',
      state(uploadId).s3_upload_id,
    );
    await waitFor(async () => (state(uploadId).state === 'aborted' ? true : undefined), 30_000, 'the sweep');
    await waitFor(async () => (fs.existsSync(partsDir) ? undefined : true), 10_000, 'the parts removed');
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

  it('removes the object of an abandoned one-part upload', async () => {
    const pdf = await makePdf('abandoned single');
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 's.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    const { uploadId, urls } = reg.body;
    expect((await fetch(urls![0]!.url, { method: 'PUT', body: pdf })).status).toBe(200);
    const { object_key: key } = state(uploadId);
    await waitFor(async () => (state(uploadId).state === 'aborted' ? true : undefined), 30_000, 'the sweep');
    expect(await objectExists(storeClient(srv), srv.s3.bucket, key)).toBe(false);
    // Its URL is still within its lifetime, but the aborted upload's key takes no bytes again.
    const late = await fetch(urls![0]!.url, { method: 'PUT', body: pdf });
    expect(late.status).toBe(403);
    expect(await objectExists(storeClient(srv), srv.s3.bucket, key)).toBe(false);
  });
});
