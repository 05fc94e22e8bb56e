import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { verifySigV4 } from '../../server/storage/sigv4-verify';

// URLs presigned by the AWS SDK itself, checked the way the embedded store checks each request.
const ENDPOINT = 'http://127.0.0.1:9000';
const presignPut = (secretAccessKey: string, region: string, key: string) =>
  getSignedUrl(
    new S3Client({ endpoint: ENDPOINT, region, forcePathStyle: true, credentials: { accessKeyId: 'AKID', secretAccessKey } }),
    new PutObjectCommand({ Bucket: 'docs', Key: key }),
    { expiresIn: 300 },
  );
const verify = (url: string, secret: string) => {
  const { pathname, search } = new URL(url);
  return verifySigV4({ method: 'PUT', url: pathname + search, headers: { host: '127.0.0.1:9000' } }, (id) => (id === 'AKID' ? secret : undefined));
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
});
