import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TEST_BUCKET as Bucket, useEmbeddedStore } from '../helpers/embedded-store-fixture';

/**
 * Current S3 clients stream a body as `aws-chunked` with a trailing checksum by default (the AWS
 * SDK for JavaScript v3 did so here). The store kept the encoded body as the object: 300,045 bytes
 * stored for 300,000 sent, answered 200.
 */
describe('embedded store: aws-chunked bodies', () => {
  const fx = useEmbeddedStore();
  const defaultClient = () =>
    new S3Client({
      endpoint: fx.store.endpoint,
      region: fx.store.region,
      forcePathStyle: true,
      credentials: fx.store.credentials,
      maxAttempts: 1,
    });
  const read = async (Key: string) =>
    Buffer.from(await (await fx.s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());
  const bytes = (n: number) => crypto.randomBytes(n);

  it('stores the bytes an SDK with its default checksums streams, as objects and as parts', async () => {
    const s3 = defaultClient();
    try {
      for (const [Key, body] of [
        ['small.pdf', bytes(300_000)],
        ['large.pdf', bytes(3_000_000)],
      ] as const) {
        await s3.send(new PutObjectCommand({ Bucket, Key, Body: Readable.from([body]), ContentLength: body.length }));
        expect((await read(Key)).equals(body)).toBe(true);
        expect((await fx.s3.send(new HeadObjectCommand({ Bucket, Key }))).ContentEncoding).toBeUndefined();
      }
      const Key = 'parts.pdf';
      const parts = [bytes(5 << 20), bytes(1_000_000)];
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
      const listed = [];
      for (const [i, body] of parts.entries()) {
        const part = {
          Bucket,
          Key,
          UploadId,
          PartNumber: i + 1,
          Body: Readable.from([body]),
          ContentLength: body.length,
        };
        listed.push({ PartNumber: i + 1, ETag: (await s3.send(new UploadPartCommand(part))).ETag });
      }
      await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: listed } }));
      expect((await read(Key)).equals(Buffer.concat(parts))).toBe(true);
    } finally {
      s3.destroy();
    }
  });

  /** An aws-chunked body by hand: chunks of `chunkBytes`, then the trailer lines given. */
  const encode = (body: Buffer, chunkBytes: number, trailer: string[]) => {
    const out: Buffer[] = [];
    for (let at = 0; at < body.length; at += chunkBytes) {
      const chunk = body.subarray(at, at + chunkBytes);
      out.push(
        Buffer.from(`${chunk.length.toString(16)};chunk-signature=${'0'.repeat(64)}\r\n`),
        chunk,
        Buffer.from('\r\n'),
      );
    }
    out.push(Buffer.from(`0\r\n${trailer.map((t) => `${t}\r\n`).join('')}\r\n`));
    return Buffer.concat(out);
  };
  const crc32 = (body: Buffer) => {
    const c = zlib.crc32(body);
    return Buffer.from([c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255]).toString('base64');
  };
  const put = async (Key: string, encoded: Buffer, decodedLength: number) => {
    // Signed, as a presigned URL must sign every x-amz-* header it is sent with.
    const headers = {
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(decodedLength),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    };
    const command = new PutObjectCommand({ Bucket, Key });
    command.middlewareStack.add(
      (next) => (args) => {
        Object.assign((args.request as { headers: Record<string, string> }).headers, headers);
        return next(args);
      },
      { step: 'build' },
    );
    const url = await getSignedUrl(fx.s3, command, {
      expiresIn: 60,
      unhoistableHeaders: new Set(Object.keys(headers).slice(1)),
    });
    const res = await fetch(url, { method: 'PUT', body: encoded, headers });
    return { status: res.status, text: await res.text() };
  };

  it('checks the trailing CRC32 and the decoded length, and stores nothing that fails them', async () => {
    const body = bytes(700_000);
    const good = await put('good.pdf', encode(body, 65_536, [`x-amz-checksum-crc32:${crc32(body)}`]), body.length);
    expect(good).toEqual({ status: 200, text: '' });
    expect((await read('good.pdf')).equals(body)).toBe(true);

    const other = crc32(bytes(10));
    const badSum = await put('bad-sum.pdf', encode(body, 65_536, [`x-amz-checksum-crc32:${other}`]), body.length);
    expect(badSum).toMatchObject({ status: 400, text: expect.stringContaining('BadDigest') });
    const cutShort = encode(body, 65_536, [`x-amz-checksum-crc32:${crc32(body)}`]).subarray(0, 400_000);
    expect(await put('cut.pdf', cutShort, body.length)).toMatchObject({
      status: 400,
      text: expect.stringContaining('IncompleteBody'),
    });
    const noTrailer = await put('no-trailer.pdf', encode(body, 65_536, []), body.length);
    expect(noTrailer).toMatchObject({ status: 400, text: expect.stringContaining('IncompleteBody') });
    const declaredShort = encode(body, 65_536, [`x-amz-checksum-crc32:${crc32(body)}`]);
    expect(await put('long.pdf', declaredShort, 100_000)).toMatchObject({
      status: 400,
      text: expect.stringContaining('longer than its x-amz-decoded-content-length'),
    });
    for (const Key of ['bad-sum.pdf', 'cut.pdf', 'no-trailer.pdf', 'long.pdf'])
      await expect(fx.s3.send(new HeadObjectCommand({ Bucket, Key }))).rejects.toMatchObject({ name: 'NotFound' });
  });
});
