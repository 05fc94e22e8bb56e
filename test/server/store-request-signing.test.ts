import { CopyObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FinalizeRequestMiddleware, MetadataBearer } from '@smithy/types';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterUploadResponse, SignPartsResponse } from '../../common/api';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { objectExists, openServerDb, storeClient } from '../helpers/server-db';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes } from '../helpers/upload-client';

/**
 * What a client holding presigned URLs can make the embedded store do: PUT exactly the bytes the
 * server planned, to the key it signed, and nothing else (issue 14, finding 1 and the size limit
 * of finding 4).
 */
describe('the embedded store honours only what was signed', () => {
  let srv: TestServer;
  let ownerToken: string;
  let strangerToken: string;
  let ownerKey: string;

  const register = async (token: string, bytes: Uint8Array, fileName = 'f.pdf') => {
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName,
      sizeBytes: bytes.byteLength,
      sha256: sha256Hex(bytes),
    });
    if (reg.body.outcome !== 'upload') throw new Error(`expected an upload, got ${JSON.stringify(reg.body)}`);
    return reg.body;
  };
  const uploadRow = (uploadId: string) => {
    const db = openServerDb(srv);
    try {
      return db.prepare('SELECT object_key, s3_upload_id FROM uploads WHERE id = ?').get(uploadId) as {
        object_key: string;
        s3_upload_id: string;
      };
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    srv = await startTestServer({ env: { CREDMATE_WORKERS: '0' } });
    ownerToken = await srv.login();
    await srv.addUser({
      org: 'Other Clinic',
      email: 'admin@other.test',
      password: 'other-clinic-password',
      role: 'admin',
    });
    strangerToken = await srv.login('admin@other.test', 'other-clinic-password');
    const owned = await uploadBytes(srv, ownerToken, await makePdf('owned by A', 2), { fileName: 'a.pdf' });
    const db = openServerDb(srv);
    ownerKey = (
      db.prepare('SELECT object_key FROM documents WHERE id = ?').get(owned.documentId) as { object_key: string }
    ).object_key;
    db.close();
  });
  afterAll(async () => {
    await srv.stop();
  });

  it("refuses a presigned PUT carrying an unsigned x-amz-copy-source: another organisation's PDF is not copied", async () => {
    const mine = await register(strangerToken, await makePdf('B wants a copy'));
    const url = mine.urls![0]!.url;
    const attempt = await fetch(url, {
      method: 'PUT',
      headers: { 'x-amz-copy-source': `/${srv.s3.bucket}/${ownerKey}` },
      body: new Uint8Array(0),
    });
    expect(attempt.status).toBe(403);
    const xml = await attempt.text();
    expect(xml).toContain('<Code>AccessDenied</Code>');
    expect(xml).toContain('There were headers present in the request which were not signed');
    expect(xml).toContain('x-amz-copy-source');
    expect(await objectExists(storeClient(srv), srv.s3.bucket, uploadRow(mine.uploadId).object_key)).toBe(false);
    // Hoisted into the query instead (s3rver reads x-amz-* query parameters as headers): not signed either.
    const hoisted = await fetch(`${url}&x-amz-copy-source=${encodeURIComponent(`/${srv.s3.bucket}/${ownerKey}`)}`, {
      method: 'PUT',
      body: new Uint8Array(0),
    });
    expect(hoisted.status).toBe(403);
    expect(await objectExists(storeClient(srv), srv.s3.bucket, uploadRow(mine.uploadId).object_key)).toBe(false);
  });

  it('refuses any unsigned x-amz-* header, on a presigned URL and on a header-signed request', async () => {
    const pdf = await makePdf('unsigned metadata');
    const mine = await register(strangerToken, pdf);
    const presigned = await fetch(mine.urls![0]!.url, {
      method: 'PUT',
      headers: { 'x-amz-meta-origin': 'sneaky' },
      body: pdf,
    });
    expect(presigned.status).toBe(403);
    expect(await presigned.text()).toMatch(/<Code>AccessDenied<\/Code>.*not signed: x-amz-meta-origin/s);

    // The store's own keys, a header added after the SDK signed the request.
    const s3 = storeClient(srv);
    const addUnsignedHeader: FinalizeRequestMiddleware<object, MetadataBearer> = (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-amz-storage-class'] = 'GLACIER';
      return next(args);
    };
    s3.middlewareStack.addRelativeTo(addUnsignedHeader, {
      relation: 'after',
      toMiddleware: 'httpSigningMiddleware',
      name: 'addUnsignedHeader',
    });
    await expect(
      s3.send(new PutObjectCommand({ Bucket: srv.s3.bucket, Key: 'probe/unsigned.bin', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(await objectExists(storeClient(srv), srv.s3.bucket, 'probe/unsigned.bin')).toBe(false);
    // The same request with every header signed is stored.
    await storeClient(srv).send(
      new PutObjectCommand({ Bucket: srv.s3.bucket, Key: 'probe/signed.bin', Body: 'x', StorageClass: 'STANDARD' }),
    );
    expect(await objectExists(storeClient(srv), srv.s3.bucket, 'probe/signed.bin')).toBe(true);
  });

  it('never copies through a presigned URL, even one that signs x-amz-copy-source', async () => {
    const s3 = storeClient(srv);
    const url = await getSignedUrl(
      s3,
      new CopyObjectCommand({
        Bucket: srv.s3.bucket,
        Key: 'probe/copied.pdf',
        CopySource: `${srv.s3.bucket}/${ownerKey}`,
      }),
      { expiresIn: 60 },
    );
    expect(url).toContain('x-amz-copy-source=');
    // Also with the parameter's name percent-encoded: the same signature, the same copy to s3rver.
    for (const variant of [url, url.replace('x-amz-copy-source=', 'x-amz-copy-sourc%65=')]) {
      const res = await fetch(variant, { method: 'PUT' });
      expect(res.status).toBe(403);
      expect(await res.text()).toMatch(/<Code>AccessDenied<\/Code>.*cannot copy/s);
    }
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: srv.s3.bucket, Key: 'probe/copied.pdf' })),
    ).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('refuses a single PUT whose body is larger than the registered file, and stores nothing', async () => {
    const pdf = await makePdf('ten bytes registered');
    const mine = await register(strangerToken, pdf.subarray(0, 10));
    const url = mine.urls![0]!.url;
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
    const big = new Uint8Array(20 * 1024 * 1024);
    const res = await fetch(url, { method: 'PUT', body: big });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('SignatureDoesNotMatch');
    expect(await objectExists(storeClient(srv), srv.s3.bucket, uploadRow(mine.uploadId).object_key)).toBe(false);
    // Exactly the registered bytes are accepted on the same URL.
    expect((await fetch(url, { method: 'PUT', body: pdf.subarray(0, 10) })).status).toBe(200);
  });

  it('refuses a multipart part larger than planned, and accepts each part at its planned length', async () => {
    const file = new Uint8Array(5 * 1024 * 1024 + 100);
    file.set(new TextEncoder().encode('%PDF-1.4 two parts'));
    const mine = await register(strangerToken, file, 'two.pdf');
    expect(mine).toMatchObject({ mode: 'multipart', partCount: 2, partSizeBytes: 5 * 1024 * 1024 });
    const { urls } = (
      await srv.api<SignPartsResponse>(strangerToken, 'POST', `/uploads/${mine.uploadId}/parts`, {
        partNumbers: [1, 2],
      })
    ).body;
    const partsDir = path.join(
      srv.dataDir,
      'server',
      'objects',
      srv.s3.bucket,
      '._S3rver_uploads',
      uploadRow(mine.uploadId).s3_upload_id,
    );
    const oversized = await fetch(urls[1]!.url, { method: 'PUT', body: new Uint8Array(5 * 1024 * 1024) });
    expect(oversized.status).toBe(403);
    expect(fs.existsSync(path.join(partsDir, '2'))).toBe(false);
    const parts = [];
    for (const [i, { url }] of urls.entries()) {
      const put = await fetch(url, {
        method: 'PUT',
        body: file.subarray(i * 5 * 1024 * 1024, (i + 1) * 5 * 1024 * 1024),
      });
      expect(put.status).toBe(200);
      parts.push({ partNumber: i + 1, etag: put.headers.get('etag') });
    }
    expect((await srv.api(strangerToken, 'POST', `/uploads/${mine.uploadId}/complete`, { parts })).status).toBe(202);
  });

  it('does not say how large a stored object is when its size differs from the registered one', async () => {
    const pdf = await makePdf('size probe');
    const mine = await register(strangerToken, pdf);
    // Bytes of another size under the upload's key, written with the store's own keys (only the server holds them).
    const stored = new Uint8Array(123_457);
    await storeClient(srv).send(
      new PutObjectCommand({ Bucket: srv.s3.bucket, Key: uploadRow(mine.uploadId).object_key, Body: stored }),
    );
    const res = await srv.api<{ error: { message: string } }>(
      strangerToken,
      'POST',
      `/uploads/${mine.uploadId}/complete`,
      { parts: [{ partNumber: 1, etag: '"e"' }] },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/size differs from the \d+ bytes registered; register the file again/);
    expect(res.body.error.message).not.toContain(String(stored.byteLength));
  });
});
