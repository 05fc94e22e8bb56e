import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail, RegisterUploadResponse, SignPartsResponse } from '../../common/api';
import { makePdf, sha256Hex } from '../helpers/pdf-fixtures';
import { expectMultipartGone } from '../helpers/multipart-probe';
import { objectExists, openServerDb, storeClient } from '../helpers/server-db';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

/**
 * Uploads through the server's store: the embedded one on SQLite, an external one (`credmate
 * store`) on PostgreSQL. The embedded store's single-PUT uploads are in
 * embedded-single-put-uploads.test.ts.
 */
/**
 * Holds the writes of one upload until the returned release, so requests queue behind it in the
 * order they arrive: on SQLite the database's write lock (BEGIN IMMEDIATE), behind which the group
 * commit keeps arrival order; on PostgreSQL the upload's row lock (SELECT ... FOR UPDATE), whose
 * waiters PostgreSQL serves first come, first served. (A table lock would not do: on its release
 * every waiter is let through at once, and they race for the row.)
 */
async function holdUploadWrites(srv: TestServer, uploadId: string): Promise<() => Promise<void>> {
  if (srv.databaseUrl) {
    const client = new pg.Client({ connectionString: srv.databaseUrl });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT id FROM uploads WHERE id = $1 FOR UPDATE', [uploadId]);
    return async () => {
      await client.query('ROLLBACK');
      await client.end();
    };
  }
  const db = openServerDb(srv);
  db.exec('BEGIN IMMEDIATE');
  return () => {
    db.exec('ROLLBACK');
    db.close();
    return Promise.resolve();
  };
}

describe('uploads through the store', () => {
  let srv: TestServer;
  let token: string;
  const holdFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-hold-')), 'hold');
  const detail = async (id: string) => (await srv.api<DocumentDetail>(token, 'GET', `/documents/${id}`)).body;

  beforeAll(async () => {
    srv = await startTestServer({ holdFile });
    token = await srv.login();
  });
  afterAll(async () => {
    expect(await srv.stop()).toBe(0);
  });

  it('answers complete with 202 before extraction starts, then extracts in the worker', async () => {
    fs.writeFileSync(holdFile, '');
    const pdf = await makePdf('held', 3);
    const up = await uploadBytes(srv, token, pdf, { fileName: 'held.pdf' });
    expect(up.register.status).toBe(201);
    expect(up.complete?.status).toBe(202);
    expect(up.complete?.body.status).toBe('uploaded');
    // The worker has claimed it (or is about to) and is held: nothing extracted yet.
    await srv.waitForLog((l) => l.event === 'job.claimed' && l.documentId === up.documentId);
    const during = await detail(up.documentId);
    expect(['uploaded', 'processing']).toContain(during.status);
    expect(during.extraction).toBeNull();
    expect(srv.logs().some((l) => l.event === 'job.done' && l.documentId === up.documentId)).toBe(false);

    fs.rmSync(holdFile);
    const done = await waitFor(async () => {
      const d = await detail(up.documentId);
      return d.status === 'review_pending' ? d : undefined;
    });
    expect(done.pages).toBe(3);
    expect(done.extraction?.pages).toBe(3);
    expect(done.sha256).toBe(sha256Hex(pdf));
  });

  it('stores the object under a server-chosen key and re-complete answers the same document', async () => {
    const pdf = await makePdf('idempotent');
    const up = await uploadBytes(srv, token, pdf, { fileName: '../../etc/passwd.pdf' });
    const rows = openServerRows(srv);
    const row = (await rows.get<{ object_key: string; org_id: string }>(
      'SELECT object_key, org_id FROM documents WHERE id = ?',
      up.documentId,
    ))!;
    const uploadId = (up.register.body as { uploadId: string }).uploadId;
    await rows.close();
    expect(row.object_key).toBe(`org/${row.org_id}/${uploadId}.pdf`);
    expect(await objectExists(storeClient(srv), srv.s3.bucket, row.object_key)).toBe(true);
    const again = await srv.api(token, 'POST', `/uploads/${uploadId}/complete`, {
      parts: [{ partNumber: 1, etag: '"x"' }],
    });
    expect(again).toEqual({ status: 202, body: { documentId: up.documentId, status: expect.any(String) } });
  });

  it('answers concurrent completes of one upload with the same document', async () => {
    const pdf = await makePdf('concurrent-complete');
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 'c.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    const signed = await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${reg.body.uploadId}/parts`, {
      partNumbers: [1],
    });
    const put = await fetch(signed.body.urls[0]!.url, { method: 'PUT', body: pdf });
    const body = { parts: [{ partNumber: 1, etag: put.headers.get('etag') }] };
    const route = `/uploads/${reg.body.uploadId}/complete`;
    const answers = await Promise.all([1, 2, 3].map(() => srv.api<{ documentId: string }>(token, 'POST', route, body)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.documentId)).size).toBe(1);
  });

  it('answers a known SHA-256 with the existing document, and an unfinished one with the same upload', async () => {
    const pdf = await makePdf('dedup');
    const first = await uploadBytes(srv, token, pdf);
    const dup = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 'copy.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    expect(dup.status).toBe(200);
    expect(dup.body).toMatchObject({ outcome: 'duplicate', documentId: first.documentId });

    const other = await makePdf('resume');
    const req = { fileName: 'resume.pdf', sizeBytes: other.byteLength, sha256: sha256Hex(other) };
    const a = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', req);
    const b = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', req);
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    // The same upload; its inline part URLs are signed afresh.
    expect({ ...b.body, urls: undefined }).toEqual({ ...a.body, urls: undefined });
  });

  it('plans 5 MiB parts, uploads two parts and checks the stored size', async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1000);
    big.set(new TextEncoder().encode('%PDF-1.4 not really'));
    big[big.length - 1] = 7;
    const up = await uploadBytes(srv, token, big, { fileName: 'big.pdf' });
    expect(up.register.body).toMatchObject({ outcome: 'upload', partSizeBytes: 5 * 1024 * 1024, partCount: 2 });
    // Not a readable PDF: the job fails permanently with a reason instead of retrying.
    const failed = await waitFor(async () => {
      const d = await detail(up.documentId);
      return d.status === 'failed' ? d : undefined;
    });
    expect(failed.failureReason).toMatch(/corrupt|not_pdf/);
  });

  it('refuses a body shorter than the registered size at the store, so complete finds nothing stored', async () => {
    const pdf = await makePdf('short');
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 's.pdf',
      sizeBytes: pdf.byteLength + 10,
      sha256: sha256Hex(pdf),
    });
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    const signed = await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${reg.body.uploadId}/parts`, {
      partNumbers: [1],
    });
    const put = await fetch(signed.body.urls[0]!.url, { method: 'PUT', body: pdf });
    // The URL signs the registered length: any other body fails its signature.
    expect(put.status).toBe(403);
    const res = await srv.api<{ error: { code: string; message: string } }>(
      token,
      'POST',
      `/uploads/${reg.body.uploadId}/complete`,
      { parts: [{ partNumber: 1, etag: '"e"' }] },
    );
    expect(res.status).toBe(400);
    // The embedded store's one-part upload is a plain PUT, which complete finds missing; an external
    // store's (PostgreSQL deployment) is a one-part multipart upload, whose part list it refuses.
    expect(res.body.error.message).toMatch(
      srv.database === 'sqlite' ? /never stored/ : /store refused the part list \(InvalidPart\)/,
    );
  });

  it('lists parts as unsupported on s3rver and aborts an upload (its stored parts removed), after which complete is refused', async () => {
    // Two parts, so the upload is a multipart one on the store.
    const pdf = new Uint8Array(5 * 1024 * 1024 + 10);
    pdf.set(new TextEncoder().encode('%PDF-1.4 abort'));
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 'a.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    expect((await srv.api(token, 'GET', `/uploads/${reg.body.uploadId}/parts`)).body).toEqual({
      supported: false,
      parts: [],
    });
    expect((await srv.api(token, 'POST', `/uploads/${reg.body.uploadId}/parts`, { partNumbers: [3] })).status).toBe(
      400,
    );
    const rows = openServerRows(srv);
    const { object_key: key, s3_upload_id: s3UploadId } = (await rows.get<{ object_key: string; s3_upload_id: string }>(
      'SELECT object_key, s3_upload_id FROM uploads WHERE id = ?',
      reg.body.uploadId,
    ))!;
    await rows.close();
    const signed = await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${reg.body.uploadId}/parts`, {
      partNumbers: [1],
    });
    expect(
      (await fetch(signed.body.urls[0]!.url, { method: 'PUT', body: pdf.subarray(0, 5 * 1024 * 1024) })).status,
    ).toBe(200);
    // The embedded store's parts folder is in the server's data dir (a standalone store's is its own).
    const partsDir = path.join(srv.dataDir, 'server', 'objects', srv.s3.bucket, '._S3rver_uploads', s3UploadId);
    if (srv.database === 'sqlite') expect(fs.existsSync(path.join(partsDir, '1'))).toBe(true);
    expect((await srv.api(token, 'DELETE', `/uploads/${reg.body.uploadId}`)).status).toBe(204);
    // Asked through the S3 API on either store: the multipart upload and its parts are gone.
    await expectMultipartGone(srv, key, s3UploadId);
    if (srv.database === 'sqlite') expect(fs.existsSync(partsDir)).toBe(false);
    const complete = await srv.api(token, 'POST', `/uploads/${reg.body.uploadId}/complete`, {
      parts: [{ partNumber: 1, etag: '"e"' }],
    });
    expect(complete.status).toBe(409);
    // The hash is free again: a new register starts a new upload.
    const again = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 'a.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    expect(again.status).toBe(201);
  });

  it('a cancel that read the upload open before a complete committed is refused, and the document keeps its PDF', async () => {
    const pdf = await makePdf('cancel races complete');
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 'race.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    const uploadId = reg.body.uploadId;
    const put = await fetch(reg.body.urls![0]!.url, { method: 'PUT', body: pdf });
    expect(put.status).toBe(200);
    // A fresh session: its requests do not touch it (a write) while the lock below is held.
    const racer = await srv.login();
    const rows = openServerRows(srv);
    const { object_key: key } = (await rows.get<{ object_key: string }>(
      'SELECT object_key FROM uploads WHERE id = ?',
      uploadId,
    ))!;
    // The test holds the write lock: the server reads on, its writes queue (in order) until the lock goes.
    const releaseLock = await holdUploadWrites(srv, uploadId);
    let complete: Promise<{ status: number; body: unknown }>;
    let cancel: Promise<{ status: number; body: unknown }>;
    try {
      complete = srv.api(racer, 'POST', `/uploads/${uploadId}/complete`, {
        parts: [{ partNumber: 1, etag: put.headers.get('etag') }],
      });
      let completeAnswered = false;
      void complete.finally(() => (completeAnswered = true));
      // Its checks of the stored object done, the complete waits for the lock (no signal to wait on: a pause).
      await new Promise((r) => setTimeout(r, 1500));
      // The lock holds it, on either database: the race below is real.
      expect(completeAnswered).toBe(false);
      // The cancel reads the upload open, behind the complete.
      cancel = srv.api(racer, 'DELETE', `/uploads/${uploadId}`);
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await releaseLock();
    }
    const done = await complete;
    expect(done.status).toBe(202);
    expect((await cancel).status).toBe(409);
    expect(await rows.get('SELECT state, document_id FROM uploads WHERE id = ?', uploadId)).toEqual({
      state: 'completed',
      document_id: (done.body as { documentId: string }).documentId,
    });
    await rows.close();
    expect(await objectExists(storeClient(srv), srv.s3.bucket, key)).toBe(true);
    await waitFor(async () =>
      ['uploaded', 'processing'].includes((await detail((done.body as { documentId: string }).documentId)).status)
        ? undefined
        : true,
    );
  }, 60_000);

  it('registers and completes many files per call, each answered as its single call would be', async () => {
    const [a, b, known] = await Promise.all([makePdf('batch a'), makePdf('batch b', 2), makePdf('batch known')]);
    const knownDoc = (await uploadBytes(srv, token, known, { fileName: 'known.pdf' })).documentId;
    const file = (bytes: Uint8Array, fileName: string) => ({
      fileName,
      sizeBytes: bytes.byteLength,
      sha256: sha256Hex(bytes),
    });
    const reg = await srv.api<{
      results: Array<RegisterUploadResponse | { outcome: 'error'; status: number; error: { code: string } }>;
    }>(token, 'POST', '/uploads/batch', {
      files: [
        file(a, 'a.pdf'),
        file(known, 'known-again.pdf'),
        { ...file(b, 'huge.pdf'), sizeBytes: 6 * 1024 ** 4 },
        file(b, 'b.pdf'),
      ],
    });
    expect(reg.status).toBe(200);
    const [ra, rKnown, rHuge, rb] = reg.body.results;
    expect(rKnown).toEqual({ outcome: 'duplicate', documentId: knownDoc, status: expect.any(String) });
    expect(rHuge).toMatchObject({ outcome: 'error', status: 413, error: { code: 'too_large' } });
    const uploads = [];
    for (const [r, bytes] of [
      [ra, a],
      [rb, b],
    ] as const) {
      if (r?.outcome !== 'upload' || !r.urls?.[0])
        throw new Error(`expected an upload with an inline URL, got ${JSON.stringify(r)}`);
      const put = await fetch(r.urls[0].url, { method: 'PUT', body: bytes });
      expect(put.status).toBe(200);
      uploads.push({ uploadId: r.uploadId, parts: [{ partNumber: 1, etag: put.headers.get('etag') as string }] });
    }
    const done = await srv.api<{ results: Array<{ outcome: string; documentId: string; status: string }> }>(
      token,
      'POST',
      '/uploads/complete-batch',
      {
        uploads: [...uploads, { uploadId: 'no-such-upload', parts: [{ partNumber: 1, etag: '"e"' }] }],
      },
    );
    expect(done.status).toBe(202);
    expect(done.body.results.map((r) => r.outcome)).toEqual(['completed', 'completed', 'error']);
    expect(done.body.results[2]).toMatchObject({ status: 404, error: { code: 'not_found' } });
    for (const [i, bytes] of [a, b].entries()) {
      expect((await detail(done.body.results[i]!.documentId)).sha256).toBe(sha256Hex(bytes));
      // Extracted like any other (and quiet again before the next test reads the change feed).
      await waitFor(async () =>
        (await detail(done.body.results[i]!.documentId)).status === 'review_pending' ? true : undefined,
      );
    }
    // A batch over the limit is refused whole, before anything is registered.
    const tooMany = await srv.api<{ error: { code: string } }>(token, 'POST', '/uploads/batch', {
      files: Array.from({ length: 101 }, (_, i) => file(a, `${i}.pdf`)),
    });
    expect(tooMany.status).toBe(400);
  });

  it('feeds changes past a cursor, cheaply empty when nothing changed', async () => {
    const all = await srv.api<{ documents: Array<{ changeSeq: number }>; cursor: number; hasMore: boolean }>(
      token,
      'GET',
      '/changes?since=0&limit=2',
    );
    expect(all.body.documents).toHaveLength(2);
    expect(all.body.hasMore).toBe(true);
    let cursor = all.body.cursor;
    for (;;) {
      const page = await srv.api<{ documents: Array<{ changeSeq: number }>; cursor: number; hasMore: boolean }>(
        token,
        'GET',
        `/changes?since=${cursor}&limit=100`,
      );
      for (const d of page.body.documents) expect(d.changeSeq).toBeGreaterThan(cursor);
      cursor = page.body.cursor;
      if (!page.body.hasMore) break;
    }
    const empty = await srv.api<{ documents: unknown[]; cursor: number; hasMore: boolean }>(
      token,
      'GET',
      `/changes?since=${cursor}`,
    );
    expect(empty.body).toEqual({ documents: [], deletedIds: [], cursor, hasMore: false });
  });
});

describe('embedded store signatures and expiry', () => {
  let srv: TestServer;
  let token: string;
  beforeAll(async () => {
    srv = await startTestServer({ env: { CREDMATE_WORKERS: '0', CREDMATE_PRESIGN_EXPIRY_SECONDS: '3' } });
    token = await srv.login();
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('re-signs a part whose URL expired, and refuses unsigned store requests', async () => {
    const pdf = await makePdf('resign');
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 'r.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    const first = await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${reg.body.uploadId}/parts`, {
      partNumbers: [1],
    });
    const url = first.body.urls[0]!.url;
    await new Promise((r) => setTimeout(r, 3500));
    const expired = await fetch(url, { method: 'PUT', body: pdf });
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/i);
    const unsigned = await fetch(url.split('?')[0]!, { method: 'PUT', body: pdf });
    expect(unsigned.status).toBe(403);
    const again = await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${reg.body.uploadId}/parts`, {
      partNumbers: [1],
    });
    const put = await fetch(again.body.urls[0]!.url, { method: 'PUT', body: pdf });
    expect(put.status).toBe(200);
    const done = await srv.api(token, 'POST', `/uploads/${reg.body.uploadId}/complete`, {
      parts: [{ partNumber: 1, etag: put.headers.get('etag') }],
    });
    expect(done.status).toBe(202);
  });

  it('answers a register with signed URLs for the first parts, on which a small file uploads without a sign call', async () => {
    const pdf = await makePdf('inline');
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 'i.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    expect(reg.status).toBe(201);
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    expect(reg.body.urls?.map((u) => u.partNumber)).toEqual([1]);
    const put = await fetch(reg.body.urls![0]!.url, { method: 'PUT', body: pdf });
    expect(put.status).toBe(200);
    // Registering the unfinished upload again hands out its URLs again (a client that lost its state).
    const again = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 'i.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    expect(again.body).toMatchObject({ outcome: 'upload', uploadId: reg.body.uploadId, urls: [{ partNumber: 1 }] });
    const done = await srv.api<{ documentId: string }>(token, 'POST', `/uploads/${reg.body.uploadId}/complete`, {
      parts: [{ partNumber: 1, etag: put.headers.get('etag') }],
    });
    expect(done.status).toBe(202);
    const rows = openServerRows(srv);
    const row = (await rows.get<{ object_key: string }>(
      'SELECT object_key FROM documents WHERE id = ?',
      done.body.documentId,
    ))!;
    await rows.close();
    expect(await objectExists(storeClient(srv), srv.s3.bucket, row.object_key)).toBe(true);
  });

  it('refuses a presigned URL whose key or signature was changed', async () => {
    const pdf = await makePdf('scope');
    const reg = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
      fileName: 's.pdf',
      sizeBytes: pdf.byteLength,
      sha256: sha256Hex(pdf),
    });
    if (reg.body.outcome !== 'upload') throw new Error('expected an upload');
    const url = (
      await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${reg.body.uploadId}/parts`, { partNumbers: [1] })
    ).body.urls[0]!.url;
    const otherKey = url.replace(/\/org\/([^/]+)\/[^/?]+\.pdf/, '/org/$1/chosen-by-client.pdf');
    expect(otherKey).not.toBe(url);
    expect((await fetch(otherKey, { method: 'PUT', body: pdf })).status).toBe(403);
    const forged = url.replace(/X-Amz-Signature=[0-9a-f]{64}/, `X-Amz-Signature=${'0'.repeat(64)}`);
    const refused = await fetch(forged, { method: 'PUT', body: pdf });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('SignatureDoesNotMatch');
    const asGet = await fetch(url);
    expect(asGet.status).toBe(403);
    const fresh = (
      await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${reg.body.uploadId}/parts`, { partNumbers: [1] })
    ).body.urls[0]!.url;
    expect((await fetch(fresh, { method: 'PUT', body: pdf })).status).toBe(200);
  });
});
