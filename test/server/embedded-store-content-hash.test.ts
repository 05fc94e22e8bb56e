import { PutObjectCommand } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BUCKET as Bucket, useEmbeddedStore } from '../helpers/embedded-store-fixture';
import { fileStamp } from '../../server/storage/embedded-object-index';
import { createObjectStore, type ObjectStore } from '../../server/storage/object-store';

/**
 * The embedded store takes each object's SHA-256 as its bytes arrive and keeps it with the
 * object (issue 17), so complete's sha256() need not read the object again. What it answers must
 * always be the hash of the bytes the key holds now: after small and streamed PUTs, overwrites,
 * concurrent PUTs of one key or one part, multipart completes, and a file changed behind its back.
 */
describe("embedded store: an object's SHA-256 kept from its PUT", () => {
  let signer: ObjectStore;
  let index: Database.Database;
  const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');
  const objectFile = (key: string) => path.join(fx.dir, 'server', 'objects', Bucket, `${key}._S3rver_object`);
  /** The hash of what the key's file holds on disk now. */
  const onDisk = (key: string) => sha(fs.readFileSync(objectFile(key)));
  /** The index row's hash when it is valid for the file there now (what sha256() answers without a read). */
  const recorded = (key: string) => {
    const row = index.prepare('SELECT sha256, stamp FROM objects WHERE bucket = ? AND key = ?').get(Bucket, key) as
      { sha256: string | null; stamp: string | null } | undefined;
    const stamp = fileStamp(fs.statSync(objectFile(key), { bigint: true }));
    return row?.sha256 && row.stamp === stamp ? row.sha256 : null;
  };
  const putUrl = (url: string, body: Uint8Array) => fetch(url, { method: 'PUT', body });

  const fx = useEmbeddedStore();
  beforeAll(() => {
    signer = createObjectStore(
      fx.s3,
      { bucket: Bucket, endpoint: fx.store.endpoint, region: fx.store.region },
      fx.store.direct,
    );
    index = new Database(path.join(fx.dir, 'server', 'object-index.sqlite'), { readonly: true });
  });
  afterAll(() => {
    index?.close();
  });

  it('records the hash of a small (buffered) and a large (streamed) PutObject, and answers it', async () => {
    for (const [key, size] of [
      ['k/small.pdf', 60_000],
      ['k/large.pdf', 3 * 1024 * 1024 + 5],
    ] as const) {
      const body = crypto.randomBytes(size);
      expect((await putUrl(await signer.signPut(key, size, 60), body)).status).toBe(200);
      expect(recorded(key)).toBe(sha(body));
      expect(await fx.store.direct.sha256(key)).toBe(sha(body));
    }
    expect(await fx.store.direct.sha256('k/never-stored.pdf')).toBeNull();
  });

  it('answers the new bytes after an overwrite, between small and streamed bodies both ways', async () => {
    const key = 'k/overwritten.pdf';
    for (const size of [50_000, 2_000_000, 70_000, 70_000]) {
      const body = crypto.randomBytes(size);
      expect((await putUrl(await signer.signPut(key, size, 60), body)).status).toBe(200);
      expect(await fx.store.direct.sha256(key)).toBe(sha(body));
      expect(onDisk(key)).toBe(sha(body));
    }
  });

  it('answers the bytes the key holds after concurrent PUTs of it (same length, buffered and streamed)', async () => {
    for (const size of [40_000, 600_000]) {
      const key = `k/raced-${size}.pdf`;
      const url = await signer.signPut(key, size, 60);
      const bodies = Array.from({ length: 6 }, () => crypto.randomBytes(size));
      const answers = await Promise.all(bodies.map((b) => putUrl(url, b)));
      expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 200));
      const held = onDisk(key);
      expect(bodies.map(sha)).toContain(held);
      expect(await fx.store.direct.sha256(key)).toBe(held);
    }
  });

  it('answers the whole object after a multipart complete, also over a key that had a recorded hash', async () => {
    const key = 'k/multipart.pdf';
    const before = crypto.randomBytes(80_000);
    await putUrl(await signer.signPut(key, before.length, 60), before);
    expect(recorded(key)).toBe(sha(before));

    const uploadId = await fx.store.direct.createMultipart(key);
    const parts = [crypto.randomBytes(5 * 1024 * 1024), crypto.randomBytes(123_457)];
    // Part 1 is sent three times at once with different bytes: whichever is stored is what counts.
    const rivals = [parts[0]!, crypto.randomBytes(parts[0]!.length), crypto.randomBytes(parts[0]!.length)];
    const url1 = await signer.signPart(key, uploadId, 1, parts[0]!.length, 60);
    const firsts = await Promise.all(rivals.map((b) => putUrl(url1, b)));
    const second = await putUrl(await signer.signPart(key, uploadId, 2, parts[1]!.length, 60), parts[1]!);
    expect([...firsts, second].map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const partEtag = (n: number) =>
      fs.readFileSync(path.join(fx.dir, 'server', 'objects', Bucket, '._S3rver_uploads', uploadId, `${n}.md5`), 'utf8');
    await fx.store.direct.completeMultipart(key, uploadId, [
      { partNumber: 1, etag: partEtag(1) },
      { partNumber: 2, etag: partEtag(2) },
    ]);
    expect(recorded(key)).toBeNull(); // no hash recorded for a multipart object: complete reads it
    const held = onDisk(key);
    expect(rivals.map((r) => sha(Buffer.concat([r, parts[1]!])))).toContain(held);
    expect(await fx.store.direct.sha256(key)).toBe(held);
  });

  it('reads the object again when its file changed behind the store (the recorded hash is stale)', async () => {
    const key = 'k/changed.pdf';
    const body = crypto.randomBytes(30_000);
    await fx.s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body }));
    expect(recorded(key)).toBe(sha(body));
    // Same length, same file (inode), written in place: only its modification time tells.
    const other = crypto.randomBytes(body.length);
    await new Promise((r) => setTimeout(r, 5));
    fs.writeFileSync(objectFile(key), other);
    expect(await fx.store.direct.sha256(key)).toBe(sha(other));
  });
});
