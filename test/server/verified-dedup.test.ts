import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail, RegisterUploadResponse } from '../../common/api';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { objectExists, storeClient } from '../helpers/server-db';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

/**
 * Deduplication trusts only verified bytes (issue 14, finding 5): an uploader who declares the
 * SHA-256 of a file it does not have cannot make the genuine file a "duplicate" of other bytes,
 * and a failed document is never what a new upload is answered with.
 */
describe('deduplication against verified documents only', () => {
  let srv: TestServer;
  let token: string;

  beforeAll(async () => {
    srv = await startTestServer();
    token = await srv.login();
  });
  afterAll(async () => {
    await srv.stop();
  });

  const register = (bytes: Uint8Array, sha256 = sha256Hex(bytes)) =>
    srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 'f.pdf',
      sizeBytes: bytes.byteLength,
      sha256,
    });

  it('refuses to complete bytes that do not match the declared SHA-256, so the genuine file is not a duplicate of them', async () => {
    const genuine = await makePdf('genuine DEA registration', 2);
    const fake = crypto.randomBytes(genuine.byteLength);
    const reg = await register(fake, sha256Hex(genuine));
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    const put = await fetch(reg.body.urls![0]!.url, { method: 'PUT', body: fake });
    expect(put.status).toBe(200);
    const done = await srv.api<{ error: { message: string } }>(
      token,
      'POST',
      `/uploads/${reg.body.uploadId}/complete`,
      { parts: [{ partNumber: 1, etag: put.headers.get('etag') }] },
    );
    expect(done.status).toBe(400);
    expect(done.body.error.message).toMatch(/do not match the SHA-256 registered/);
    const db = openServerRows(srv);
    const key = (await db.get<{ object_key: string }>(
      'SELECT object_key FROM uploads WHERE id = ?',
      reg.body.uploadId,
    ))!.object_key;
    expect(await db.get('SELECT COUNT(*) AS n FROM documents WHERE sha256 = ?', sha256Hex(genuine))).toEqual({
      n: 0,
    });
    await db.close();
    expect(await objectExists(storeClient(srv), srv.s3.bucket, key)).toBe(false);

    // The genuine file is uploaded as itself; from then on it is the duplicate target.
    const real = await uploadBytes(srv, token, genuine, { fileName: 'dea.pdf' });
    expect(real.register.status).toBe(201);
    const again = await register(genuine);
    expect(again.body).toMatchObject({ outcome: 'duplicate', documentId: real.documentId });
  });

  it('checks a multipart upload whole: a part swapped for other bytes of the same length is refused at complete', async () => {
    const file = new Uint8Array(5 * 1024 * 1024 + 300);
    file.set(new TextEncoder().encode('%PDF-1.4 two parts'));
    crypto.randomFillSync(file, 20);
    const reg = await register(file);
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    const { urls } = (
      await srv.api<{ urls: Array<{ url: string }> }>(token, 'POST', `/uploads/${reg.body.uploadId}/parts`, {
        partNumbers: [1, 2],
      })
    ).body;
    const swapped = [file.subarray(0, 5 * 1024 * 1024), crypto.randomBytes(300)];
    const parts = [];
    for (const [i, { url }] of urls.entries()) {
      const put = await fetch(url, { method: 'PUT', body: swapped[i] });
      expect(put.status).toBe(200);
      parts.push({ partNumber: i + 1, etag: put.headers.get('etag') });
    }
    expect((await srv.api(token, 'POST', `/uploads/${reg.body.uploadId}/complete`, { parts })).status).toBe(400);
    expect((await register(file)).status).toBe(201);
  });

  it('never answers a new upload with a failed document', async () => {
    // Bytes as declared, but not a readable PDF: the worker fails it.
    const unreadable = new Uint8Array(4000);
    unreadable.set(new TextEncoder().encode('%PDF-1.4 not really a PDF'));
    const first = await uploadBytes(srv, token, unreadable, { fileName: 'broken.pdf' });
    await waitFor(async () =>
      (await srv.api<DocumentDetail>(token, 'GET', `/documents/${first.documentId}`)).body.status === 'failed'
        ? true
        : undefined,
    );
    const again = await register(unreadable);
    expect(again.status).toBe(201);
    expect(again.body.outcome).toBe('upload');
  });
});

/** Documents completed before complete checked their bytes: the worker's check verifies them. */
describe('documents of a database from before verified hashes', () => {
  it('are duplicate targets once extracted, not before', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-legacy-'));
    const holdFile = path.join(dataDir, 'hold');
    const srv = await startTestServer({ dataDir, holdFile });
    try {
      const token = await srv.login();
      fs.writeFileSync(holdFile, '');
      const pdf = await makePdf('completed before the check', 1);
      const { documentId } = await uploadBytes(srv, token, pdf);
      // As an older version left it: completed, not yet extracted, never checked.
      const db = openServerRows(srv);
      await db.run('UPDATE documents SET sha256_verified_at = NULL WHERE id = ?', documentId);
      await db.close();
      const register = () =>
        srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
          fileName: 'f.pdf',
          sizeBytes: pdf.byteLength,
          sha256: sha256Hex(pdf),
        });
      const early = await register();
      expect(early.body.outcome).toBe('upload');
      if (early.body.outcome === 'upload')
        expect((await srv.api(token, 'DELETE', `/uploads/${early.body.uploadId}`)).status).toBe(204);
      fs.rmSync(holdFile);
      await waitFor(async () =>
        (await srv.api<DocumentDetail>(token, 'GET', `/documents/${documentId}`)).body.status === 'review_pending'
          ? true
          : undefined,
      );
      expect((await register()).body).toMatchObject({ outcome: 'duplicate', documentId });
    } finally {
      await srv.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
