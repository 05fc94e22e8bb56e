import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { TEST_BUCKET as Bucket, useEmbeddedStore } from '../helpers/embedded-store-fixture';

/** The embedded store on its own thread: its write path for plain PUTs, read back through s3rver. */
describe('embedded store', () => {
  const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');
  const objectsDir = () => path.join(fx.dir, 'server', 'objects', Bucket);
  const leftovers = () =>
    (fs.readdirSync(objectsDir(), { recursive: true }) as string[]).filter((f) => f.endsWith('.tmp'));

  const fx = useEmbeddedStore();

  it('stores a PutObject with its ETag and metadata, readable and listable through s3rver', async () => {
    const body = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const put = await fx.s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'a/b/doc.pdf',
        Body: body,
        ContentType: 'application/pdf',
        Metadata: { origin: 'test' },
      }),
    );
    expect(put.ETag).toBe(`"${md5(body)}"`);
    const got = await fx.s3.send(new GetObjectCommand({ Bucket, Key: 'a/b/doc.pdf' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(got.ContentType).toBe('application/pdf');
    expect(got.Metadata).toEqual({ origin: 'test' });
    expect(got.ETag).toBe(`"${md5(body)}"`);
    const listed = await fx.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'a/' }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([['a/b/doc.pdf', body.length]]);
  });

  it("keeps an object's ETag and metadata in the object index: its one file is the object itself", async () => {
    const body = Buffer.from('%PDF-1.4 one file only');
    await fx.s3.send(
      new PutObjectCommand({ Bucket, Key: 'single/file.pdf', Body: body, ContentType: 'application/pdf' }),
    );
    expect(fs.readdirSync(path.join(objectsDir(), 'single'))).toEqual(['file.pdf._S3rver_object']);
    const head = await fx.s3.send(new HeadObjectCommand({ Bucket, Key: 'single/file.pdf' }));
    expect([head.ETag, head.ContentType, head.ContentLength]).toEqual([
      `"${md5(body)}"`,
      'application/pdf',
      body.length,
    ]);

    // Copied with its metadata, or with replaced metadata: the ETag follows the bytes.
    await fx.s3.send(
      new CopyObjectCommand({ Bucket, Key: 'single/copy.pdf', CopySource: `${Bucket}/single/file.pdf` }),
    );
    await fx.s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'single/retyped.pdf',
        CopySource: `${Bucket}/single/file.pdf`,
        MetadataDirective: 'REPLACE',
        ContentType: 'application/octet-stream',
        Metadata: { note: 'x' },
      }),
    );
    const copy = await fx.s3.send(new HeadObjectCommand({ Bucket, Key: 'single/copy.pdf' }));
    const retyped = await fx.s3.send(new HeadObjectCommand({ Bucket, Key: 'single/retyped.pdf' }));
    expect([copy.ETag, copy.ContentType]).toEqual([`"${md5(body)}"`, 'application/pdf']);
    expect([retyped.ETag, retyped.ContentType, retyped.Metadata]).toEqual([
      `"${md5(body)}"`,
      'application/octet-stream',
      { note: 'x' },
    ]);

    // Deleted, then stored again under the same key: the new bytes' ETag, not the old row's.
    await fx.s3.send(new DeleteObjectCommand({ Bucket, Key: 'single/copy.pdf' }));
    await expect(fx.s3.send(new HeadObjectCommand({ Bucket, Key: 'single/copy.pdf' }))).rejects.toMatchObject({
      name: 'NotFound',
    });
    const again = Buffer.from('other bytes');
    await fx.s3.send(new PutObjectCommand({ Bucket, Key: 'single/copy.pdf', Body: again }));
    expect((await fx.s3.send(new HeadObjectCommand({ Bucket, Key: 'single/copy.pdf' }))).ETag).toBe(`"${md5(again)}"`);
  });

  it('reads objects without an index row: sidecar files of an older version, else the MD5 of the bytes', async () => {
    // An object as s3rver itself (and this store before the index) wrote it.
    const legacy = Buffer.from('%PDF-1.4 written before the index');
    const dir = path.join(objectsDir(), 'legacy');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'old.pdf._S3rver_object'), legacy);
    fs.writeFileSync(path.join(dir, 'old.pdf._S3rver_object.md5'), md5(legacy));
    fs.writeFileSync(
      path.join(dir, 'old.pdf._S3rver_metadata.json'),
      JSON.stringify({ 'content-type': 'application/pdf' }),
    );
    const old = await fx.s3.send(new HeadObjectCommand({ Bucket, Key: 'legacy/old.pdf' }));
    expect([old.ETag, old.ContentType]).toEqual([`"${md5(legacy)}"`, 'application/pdf']);

    // A row lost (a power cut after the object's rename): the ETag is read back from the bytes.
    const body = Buffer.from('%PDF-1.4 row lost');
    await fx.s3.send(new PutObjectCommand({ Bucket, Key: 'legacy/lost-row.pdf', Body: body }));
    const index = new Database(path.join(dir, '..', '..', '..', 'object-index.sqlite'));
    expect(index.prepare('DELETE FROM objects WHERE key = ?').run('legacy/lost-row.pdf').changes).toBe(1);
    index.close();
    expect((await fx.s3.send(new HeadObjectCommand({ Bucket, Key: 'legacy/lost-row.pdf' }))).ETag).toBe(
      `"${md5(body)}"`,
    );
  });

  it('stores the parts of a multipart upload that completes into the whole object', async () => {
    const parts = [crypto.randomBytes(5 * 1024 * 1024), crypto.randomBytes(1234)];
    const { UploadId } = await fx.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'multi.pdf' }));
    const etags = [];
    for (const [i, part] of parts.entries()) {
      const res = await fx.s3.send(
        new UploadPartCommand({ Bucket, Key: 'multi.pdf', UploadId, PartNumber: i + 1, Body: part }),
      );
      expect(res.ETag).toBe(`"${md5(part)}"`);
      etags.push({ PartNumber: i + 1, ETag: res.ETag });
    }
    await fx.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'multi.pdf',
        UploadId,
        MultipartUpload: { Parts: etags },
      }),
    );
    const got = await fx.s3.send(new GetObjectCommand({ Bucket, Key: 'multi.pdf' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
  });

  it('aborts a multipart upload as S3 does: 204 and its parts gone; an unknown upload or another key is NoSuchUpload', async () => {
    const Key = 'org/o1/abandoned.pdf';
    const { UploadId } = await fx.s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    await fx.s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: crypto.randomBytes(4096) }));
    // Where s3rver keeps an upload's parts (its `<bucket>/._S3rver_uploads/<id>`).
    const partsOnDisk = () =>
      (fs.readdirSync(objectsDir(), { recursive: true }) as string[]).some((f) => f.endsWith(`${path.sep}${UploadId}`));
    expect(partsOnDisk()).toBe(true);
    const wrongKey = fx.s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'org/o2/other.pdf', UploadId }));
    await expect(wrongKey).rejects.toMatchObject({ name: 'NoSuchUpload' });
    const aborted = await fx.s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
    expect(aborted.$metadata.httpStatusCode).toBe(204);
    expect(partsOnDisk()).toBe(false);
    await expect(fx.s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }))).rejects.toMatchObject({
      name: 'NoSuchUpload',
    });
  });

  it("completes the server's own multipart uploads with S3's multipart ETag, checking each part's ETag", async () => {
    const parts = [
      crypto.randomBytes(9 * 1024 * 1024 + 5),
      crypto.randomBytes(5 * 1024 * 1024),
      crypto.randomBytes(777),
    ];
    const key = 'org/o1/direct.pdf';
    const uploadId = await fx.store.direct.createMultipart(key);
    const sent = [];
    // Sent out of order, as concurrent part PUTs arrive.
    for (const i of [2, 0, 1]) {
      const url = await getSignedUrl(
        fx.s3,
        new UploadPartCommand({ Bucket, Key: key, UploadId: uploadId, PartNumber: i + 1 }),
        { expiresIn: 60 },
      );
      const res = await fetch(url, { method: 'PUT', body: parts[i] });
      sent.push({ partNumber: i + 1, etag: res.headers.get('etag') as string });
    }
    const wrong = sent.map((p) => (p.partNumber === 2 ? { ...p, etag: `"${md5(Buffer.from('not this part'))}"` } : p));
    await expect(fx.store.direct.completeMultipart(key, uploadId, wrong)).rejects.toMatchObject({
      name: 'InvalidPart',
    });
    await expect(
      fx.store.direct.completeMultipart(key, uploadId, [...sent, { partNumber: 4, etag: '"x"' }]),
    ).rejects.toMatchObject({ name: 'InvalidPart' });

    await fx.store.direct.completeMultipart(key, uploadId, sent);
    const got = await fx.s3.send(new GetObjectCommand({ Bucket, Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
    const partMd5s = Buffer.concat(parts.map((b) => crypto.createHash('md5').update(b).digest()));
    expect(got.ETag).toBe(`"${md5(partMd5s)}-3"`);
    expect(got.ContentType).toBe('application/pdf');
    expect(await fx.store.direct.size(key)).toBe(Buffer.concat(parts).length);
    expect(leftovers()).toEqual([]);
    // The upload is gone once complete: its parts are not kept twice.
    await expect(fx.store.direct.completeMultipart(key, uploadId, sent)).rejects.toMatchObject({ name: 'InvalidPart' });
  });

  it('stores an object again in a folder whose last object was deleted (s3rver removed the folder)', async () => {
    await fx.s3.send(new PutObjectCommand({ Bucket, Key: 'gone/dir/first.pdf', Body: 'first' }));
    await fx.s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone/dir/first.pdf' }));
    expect(fs.existsSync(path.join(objectsDir(), 'gone'))).toBe(false);
    await fx.s3.send(new PutObjectCommand({ Bucket, Key: 'gone/dir/second.pdf', Body: 'second' }));
    const got = await fx.s3.send(new GetObjectCommand({ Bucket, Key: 'gone/dir/second.pdf' }));
    expect(await got.Body!.transformToString()).toBe('second');
  });

  it('refuses a part of an unknown upload and a body failing its Content-MD5, storing nothing', async () => {
    const url = await getSignedUrl(
      fx.s3,
      new UploadPartCommand({ Bucket, Key: 'x.pdf', UploadId: 'f'.repeat(32), PartNumber: 1 }),
      { expiresIn: 60 },
    );
    const part = await fetch(url, { method: 'PUT', body: 'abc' });
    expect(part.status).toBe(404);
    expect(await part.text()).toContain('NoSuchUpload');

    const putUrl = await getSignedUrl(fx.s3, new PutObjectCommand({ Bucket, Key: 'bad-digest.pdf' }), {
      expiresIn: 60,
    });
    // No checksum of an empty body baked into the URL (real S3 would hold the upload to it).
    expect(new URL(putUrl).searchParams.has('x-amz-checksum-crc32')).toBe(false);
    const bad = await fetch(putUrl, {
      method: 'PUT',
      body: 'the body',
      headers: { 'content-md5': crypto.createHash('md5').update('another body').digest('base64') },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('BadDigest');
    await expect(fx.s3.send(new HeadObjectCommand({ Bucket, Key: 'bad-digest.pdf' }))).rejects.toMatchObject({
      name: 'NotFound',
    });
    expect(leftovers()).toEqual([]);
  });

  // Small bodies are buffered and written in one go, large ones streamed to a temporary file.
  it.each([
    ['small', 100_000],
    ['large', 1_000_000],
  ])(
    'keeps nothing of a %s PUT whose client goes away mid-body, and the old object stays whole',
    async (_size, length) => {
      const key = `cut-${length}.pdf`;
      const old = Buffer.from('the complete earlier version');
      await fx.s3.send(new PutObjectCommand({ Bucket, Key: key, Body: old }));
      const url = new URL(await getSignedUrl(fx.s3, new PutObjectCommand({ Bucket, Key: key }), { expiresIn: 60 }));
      await new Promise<void>((resolve) => {
        const req = http.request(url, { method: 'PUT', headers: { 'content-length': length } });
        req.on('error', () => resolve());
        req.write(crypto.randomBytes(length / 2), () => setTimeout(() => req.destroy(), 100));
      });
      await new Promise((r) => setTimeout(r, 200));
      const got = await fx.s3.send(new GetObjectCommand({ Bucket, Key: key }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(old)).toBe(true);
      expect(leftovers()).toEqual([]);
    },
  );
});
