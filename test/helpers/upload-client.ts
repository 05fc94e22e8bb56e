/**
 * Drives the upload protocol the way a client does (register → sign → PUT parts to presigned
 * URLs → complete) against a test server; returns each step's answer for assertions.
 */
import type { CompleteUploadResponse, RegisterUploadResponse, SignPartsResponse } from '../../common/api';
import { sha256Hex } from './pdf-fixtures';
import type { TestServer } from './test-server';

export interface UploadResult {
  register: { status: number; body: RegisterUploadResponse };
  complete?: { status: number; body: CompleteUploadResponse };
  documentId: string;
}

export async function uploadBytes(
  srv: TestServer,
  token: string,
  bytes: Uint8Array,
  opts: { fileName?: string; batchId?: string } = {},
): Promise<UploadResult> {
  const register = await srv.api<RegisterUploadResponse>(token, 'POST', '/uploads', {
    fileName: opts.fileName ?? 'file.pdf',
    sizeBytes: bytes.byteLength,
    sha256: sha256Hex(bytes),
    ...(opts.batchId ? { batchId: opts.batchId } : {}),
  });
  if (register.status >= 300) throw new Error(`register: ${register.status} ${JSON.stringify(register.body)}`);
  const reg = register.body;
  if (reg.outcome === 'duplicate') return { register, documentId: reg.documentId };
  const partNumbers = Array.from({ length: reg.partCount }, (_, i) => i + 1);
  const signed = await srv.api<SignPartsResponse>(token, 'POST', `/uploads/${reg.uploadId}/parts`, { partNumbers });
  if (signed.status !== 200) throw new Error(`sign: ${signed.status} ${JSON.stringify(signed.body)}`);
  const parts = [];
  for (const { partNumber, url } of signed.body.urls) {
    const chunk = bytes.subarray((partNumber - 1) * reg.partSizeBytes, partNumber * reg.partSizeBytes);
    const put = await fetch(url, { method: 'PUT', body: chunk, signal: AbortSignal.timeout(30_000) });
    if (!put.ok) throw new Error(`PUT part ${partNumber}: ${put.status} ${await put.text()}`);
    parts.push({ partNumber, etag: put.headers.get('etag') ?? '' });
  }
  const complete = await srv.api<CompleteUploadResponse>(token, 'POST', `/uploads/${reg.uploadId}/complete`, { parts });
  if (complete.status !== 202) throw new Error(`complete: ${complete.status} ${JSON.stringify(complete.body)}`);
  return { register, complete, documentId: complete.body.documentId };
}

/**
 * Polls until `check` returns a value (not undefined), or fails after `timeoutMs`: a deadline for
 * something that must happen (a worker extracting a one-page PDF), generous because a shared
 * machine under load once took over 30 s to start a worker; not a measure of speed.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 90_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
