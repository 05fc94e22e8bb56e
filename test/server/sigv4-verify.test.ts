import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { createObjectStore } from '../../server/storage/object-store';
import { verifySigV4 } from '../../server/storage/sigv4-verify';

// URLs presigned by the AWS SDK itself, checked the way the embedded store checks each request.
const ENDPOINT = 'http://127.0.0.1:9000';
const presignPut = (secretAccessKey: string, region: string, key: string) =>
  getSignedUrl(
    new S3Client({
      endpoint: ENDPOINT,
      region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKID', secretAccessKey },
    }),
    new PutObjectCommand({ Bucket: 'docs', Key: key }),
    { expiresIn: 300 },
  );
const verify = (url: string, secret: string, headers: Record<string, string> = {}) => {
  const { pathname, search } = new URL(url);
  return (
    verifySigV4({ method: 'PUT', url: pathname + search, headers: { host: '127.0.0.1:9000', ...headers } }, (id) =>
      id === 'AKID' ? secret : undefined,
    )?.message ?? null
  );
};

describe('SigV4 check of presigned URLs', () => {
  it('accepts the SDK-signed URL and refuses it under another secret of the same scope', async () => {
    const url = await presignPut('secret-one', 'us-east-1', 'org/a/1.pdf');
    expect(verify(url, 'secret-one')).toBeNull();
    // The signing key is cached by scope: it must be keyed by the secret too.
    expect(verify(url, 'secret-two')).toMatch(/does not match/);
    expect(verify(await presignPut('secret-two', 'us-east-1', 'org/a/1.pdf'), 'secret-two')).toBeNull();
  });

  it('refuses a URL whose key or expiry was changed, and checks each region with its own key', async () => {
    const url = await presignPut('secret-one', 'eu-west-1', 'org/a/2.pdf');
    expect(verify(url, 'secret-one')).toBeNull();
    expect(verify(url.replace('org/a/2.pdf', 'org/b/2.pdf'), 'secret-one')).toMatch(/does not match/);
    expect(verify(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000'), 'secret-one')).toMatch(/does not match/);
    expect(verify(url.replace(/eu-west-1/g, 'us-east-1'), 'secret-one')).toMatch(/does not match/);
  });

  it('refuses an x-amz-* header the URL did not sign, as S3 does', async () => {
    const url = await presignPut('secret-one', 'us-east-1', 'org/a/3.pdf');
    expect(verify(url, 'secret-one', { 'x-amz-copy-source': '/docs/org/b/1.pdf' })).toBe(
      'There were headers present in the request which were not signed: x-amz-copy-source.',
    );
    // Headers outside x-amz-* (content-type, user-agent...) are the client's own business.
    expect(verify(url, 'secret-one', { 'content-type': 'application/pdf', 'user-agent': 'test' })).toBeNull();
  });
});

describe('part and object URLs of the object store', () => {
  it('sign the body length on AWS (virtual-hosted URLs by the SDK) and on a path-style endpoint alike', async () => {
    const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret-one' };
    const aws = createObjectStore(new S3Client({ region: 'us-east-2', credentials }), {
      bucket: 'docs',
      endpoint: '',
      region: 'us-east-2',
    });
    const pathStyle = createObjectStore(
      new S3Client({ endpoint: ENDPOINT, region: 'us-east-1', forcePathStyle: true, credentials }),
      { bucket: 'docs', endpoint: ENDPOINT, region: 'us-east-1' },
    );
    for (const url of [
      await aws.signPart('org/a/4.pdf', 'up-1', 2, 1234, 300),
      await aws.signPut('org/a/5.pdf', 1234, 300),
      await pathStyle.signPart('org/a/4.pdf', 'up-1', 2, 1234, 300),
      await pathStyle.signPut('org/a/5.pdf', 1234, 300),
    ]) {
      expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
    }
    const { host, pathname, search } = new URL(await pathStyle.signPut('org/a/6.pdf', 1234, 300));
    const check = (length: string) =>
      verifySigV4(
        { method: 'PUT', url: pathname + search, headers: { host, 'content-length': length } },
        () => 'secret-one',
      );
    expect(check('1234')).toBeNull();
    expect(check('1235')?.code).toBe('SignatureDoesNotMatch');
  });
});
