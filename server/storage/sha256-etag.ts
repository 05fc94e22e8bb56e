/**
 * The server's own upload URLs for the embedded store carry `x-credmate-etag=sha256`, signed in
 * with the rest of the URL: the store then makes the body's ETag its SHA-256 and takes no MD5
 * (embedded-put.ts). Why: MD5 was the costliest hash on the store's thread (~620 MB/s against
 * SHA-256's ~1,480 MB/s with the CPU's SHA extensions, issue 17) and nothing reads it for those
 * bodies: the desktop hands ETags back unread, and complete checks the SHA-256. S3 promises no MD5
 * ETag either (an SSE-KMS object's is not one). Every other PUT (aws-cli, rclone, the SDK), and any
 * PUT with a Content-MD5 to check, keeps S3's MD5 ETag, which those clients verify.
 */
export const SHA256_ETAG_PARAM = 'x-credmate-etag';
