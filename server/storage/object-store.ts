import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  ListPartsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl, S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { SHA256_ETAG_PARAM } from './sha256-etag';

/** S3 operations the server performs, on keys the server chose. */
export interface ObjectStore {
  readonly bucket: string;
  readonly endpoint: string;
  readonly region: string;
  /**
   * The store refuses a PUT to the key of a completed upload (the embedded store does). Only then
   * may a one-part file use a plain PUT URL: elsewhere that URL, still valid after complete, would
   * let its holder replace the document's bytes, so those stores keep the multipart path.
   */
  readonly guardsCompletedObjects: boolean;
  createMultipart(key: string): Promise<string>;
  /**
   * A PUT URL for one part. `contentLength` is signed into it (X-Amz-SignedHeaders carries
   * content-length): the store, S3 as the embedded one, refuses a body of any other length, so a
   * client cannot store more than the server planned for the file it registered.
   */
  signPart(
    key: string,
    s3UploadId: string,
    partNumber: number,
    contentLength: number,
    expiresInSeconds: number,
  ): Promise<string>;
  /** A plain PUT of the whole object to `key` (an upload of one part needs no multipart upload), its length signed in as signPart's. */
  signPut(key: string, contentLength: number, expiresInSeconds: number): Promise<string>;
  completeMultipart(key: string, s3UploadId: string, parts: Array<{ partNumber: number; etag: string }>): Promise<void>;
  abortMultipart(key: string, s3UploadId: string): Promise<void>;
  /** Parts the store holds, or null where the store has no ListParts (s3rver). */
  listParts(
    key: string,
    s3UploadId: string,
  ): Promise<Array<{ partNumber: number; etag: string; sizeBytes?: number }> | null>;
  /** Size of the stored object, or null when there is none. */
  size(key: string): Promise<number | null>;
  /**
   * Hex SHA-256 of the stored object's bytes, or null when there is none: what complete checks
   * against the SHA-256 the client registered, so deduplication trusts only verified bytes. Reads
   * the whole object (the embedded store hashes its file on a thread; S3 streams a GET).
   */
  sha256(key: string): Promise<string | null>;
  read(key: string): Promise<Uint8Array>;
  /** The stored object's bytes as they arrive, and their length (for serving a document without holding it in memory). */
  open(key: string): Promise<{ body: Readable; sizeBytes: number | undefined }>;
  /**
   * Writes a body the server made itself (derived artifacts) as it is produced: lib-storage's
   * Upload sends one PUT for a small body and a multipart upload of 5 MiB parts for a large one,
   * each request under the client's deadlines.
   */
  write(key: string, body: Readable, contentType: string): Promise<void>;
  remove(key: string): Promise<void>;
  signGet(key: string, expiresInSeconds: number, downloadName: string): Promise<string>;
}

type PutSigner = (
  key: string,
  query: Record<string, string>,
  contentLength: number,
  expiresInSeconds: number,
) => Promise<string>;

/** Signed into every PUT URL beside host: the body's length is part of what the server agreed to. */
const SIGNED_LENGTH = { signableHeaders: new Set(['content-length']) };

/**
 * PUT URLs for a path-style endpoint (the embedded store, MinIO-like stores), signed by one
 * reusable presigner: getSignedUrl builds and runs a whole command middleware stack per URL
 * (~2 ms of CPU here), this signs the same request in ~0.1 ms. Null for virtual-hosted AWS
 * endpoints, whose URL resolution stays with the SDK.
 */
function pathStylePutSigner(client: S3Client, bucket: string): PutSigner | null {
  const { forcePathStyle, endpoint } = client.config;
  if (!forcePathStyle || !endpoint) return null;
  const presigner = new S3RequestPresigner({ ...client.config });
  return async (key, query, contentLength, expiresIn) => {
    const base = await endpoint();
    const port = base.port ? `:${base.port}` : '';
    const prefix = base.path.replace(/\/+$/, '');
    const path = `${prefix}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const signed = await presigner.presign(
      {
        method: 'PUT',
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        path,
        query,
        headers: { host: `${base.hostname}${port}`, 'content-length': String(contentLength) },
      },
      { expiresIn, ...SIGNED_LENGTH },
    );
    const search = new URLSearchParams(signed.query as Record<string, string>).toString().replace(/\+/g, '%20');
    return `${base.protocol}//${base.hostname}${port}${path}?${search}`;
  };
}

/** The HTTP status an S3 call failed with, when it got an answer. */
export function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

// Over 80 lines on purpose: one object literal implementing ObjectStore, each method a few lines
// of SDK call; split up, the interface's one implementation would be scattered over helpers.
// eslint-disable-next-line max-lines-per-function -- one object literal implementing ObjectStore (above)
export function createObjectStore(
  client: S3Client,
  info: {
    bucket: string;
    endpoint: string;
    region: string;
    guardsCompletedObjects?: boolean;
    /** The embedded store: its upload URLs ask for SHA-256 ETags (sha256-etag.ts). */
    sha256Etags?: boolean;
  },
  overrides: Partial<Pick<ObjectStore, 'createMultipart' | 'completeMultipart' | 'size' | 'sha256'>> = {},
): ObjectStore {
  const { sha256Etags, ...described } = info;
  const Bucket = info.bucket;
  const fastSign = pathStylePutSigner(client, Bucket);
  const etagQuery: Record<string, string> = sha256Etags ? { [SHA256_ETAG_PARAM]: 'sha256' } : {};
  const viaSdk: ObjectStore = {
    ...described,
    guardsCompletedObjects: info.guardsCompletedObjects ?? false,
    async createMultipart(key) {
      const out = await client.send(
        new CreateMultipartUploadCommand({ Bucket, Key: key, ContentType: 'application/pdf' }),
      );
      if (!out.UploadId) throw new Error('The store returned no UploadId.');
      return out.UploadId;
    },
    signPart(key, s3UploadId, partNumber, contentLength, expiresIn) {
      if (fastSign)
        return fastSign(
          key,
          { partNumber: String(partNumber), uploadId: s3UploadId, ...etagQuery },
          contentLength,
          expiresIn,
        );
      const command = new UploadPartCommand({
        Bucket,
        Key: key,
        UploadId: s3UploadId,
        PartNumber: partNumber,
        ContentLength: contentLength,
      });
      return getSignedUrl(client, command, { expiresIn, ...SIGNED_LENGTH });
    },
    signPut(key, contentLength, expiresIn) {
      if (fastSign) return fastSign(key, etagQuery, contentLength, expiresIn);
      return getSignedUrl(client, new PutObjectCommand({ Bucket, Key: key, ContentLength: contentLength }), {
        expiresIn,
        ...SIGNED_LENGTH,
      });
    },
    async completeMultipart(key, s3UploadId, parts) {
      const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: key,
          UploadId: s3UploadId,
          MultipartUpload: { Parts: sorted.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      );
    },
    async abortMultipart(key, s3UploadId) {
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId: s3UploadId }));
      } catch (err) {
        const status = statusOf(err);
        if (status === 404) return;
        throw err;
      }
    },
    async listParts(key, s3UploadId) {
      const parts: Array<{ partNumber: number; etag: string; sizeBytes?: number }> = [];
      let marker: string | undefined;
      try {
        do {
          const out = await client.send(
            new ListPartsCommand({ Bucket, Key: key, UploadId: s3UploadId, PartNumberMarker: marker }),
          );
          for (const p of out.Parts ?? [])
            if (p.PartNumber && p.ETag) parts.push({ partNumber: p.PartNumber, etag: p.ETag, sizeBytes: p.Size });
          marker = out.IsTruncated ? out.NextPartNumberMarker : undefined;
        } while (marker);
      } catch (err) {
        const status = statusOf(err);
        if (status === 405 || status === 501) return null;
        throw err;
      }
      return parts;
    },
    async size(key) {
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return out.ContentLength ?? null;
      } catch (err) {
        if (statusOf(err) === 404) return null;
        throw err;
      }
    },
    async sha256(key) {
      let body: Readable;
      try {
        body = (await client.send(new GetObjectCommand({ Bucket, Key: key }))).Body as Readable;
      } catch (err) {
        if (statusOf(err) === 404) return null;
        throw err;
      }
      // Chunk by chunk as the body arrives: each update is a few tens of µs of the event loop.
      const hash = crypto.createHash('sha256');
      for await (const chunk of body) hash.update(chunk as Uint8Array);
      return hash.digest('hex');
    },
    async open(key) {
      const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      if (!out.Body) throw new Error('The store returned an empty body.');
      return { body: out.Body as Readable, sizeBytes: out.ContentLength };
    },
    async read(key) {
      const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      if (!out.Body) throw new Error('The store returned an empty body.');
      return out.Body.transformToByteArray();
    },
    async write(key, body, contentType) {
      await new Upload({ client, params: { Bucket, Key: key, Body: body, ContentType: contentType } }).done();
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    signGet(key, expiresIn, downloadName) {
      const safeName = downloadName.replace(/[^\w.-]+/g, '_').slice(0, 120) || 'document.pdf';
      return getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket,
          Key: key,
          ResponseContentType: 'application/pdf',
          ResponseContentDisposition: `inline; filename="${safeName}"`,
        }),
        { expiresIn },
      );
    },
  };
  return { ...viaSdk, ...overrides };
}

/**
 * True when `err` is the object store failing or missing its deadline: the SDK names its timeouts
 * TimeoutError and gives every answer from the store $metadata. Told by kind, never by wording.
 */
export function isStoreFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'TimeoutError' || (err as { $metadata?: unknown }).$metadata !== undefined;
}
