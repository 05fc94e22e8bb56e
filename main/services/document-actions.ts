/**
 * Actions on one document beyond reading and reviewing (issue 16): re-run a failed extraction,
 * remove a document (admins), undo a review decision, and the server's limits for the import
 * preview's preflight (ApiClient.serverLimits, which the command line's watch reads too). Each
 * asks the server through the signed-in connection, then nudges the mirror's sync so lists show
 * the change at once.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import ky from 'ky';
import { API_PREFIX, RegisterUploadResponse } from '../../common/api';
import { AppError } from '../../common/errors';
import { API_TIMEOUT_MS, type ApiClient } from '../core/api-client';
import { toHttpFailure } from '../core/http-failure';
import type { Handlers } from './dispatch';
import type { EventBus } from './event-bus';
import type { SessionService } from './session-service';

type ActionChannel =
  'documents.reprocess' | 'documents.remove' | 'documents.reopen' | 'documents.replace' | 'server.limits';

/** A replacement is read whole: credentials are small, and the server refuses far less than this anyway. */
const REPLACE_MAX_BYTES = 512 * 1024 * 1024;

/**
 * Sends `bytes` as the new file of failed document `id`: POST /documents/:id/replace registers it,
 * the parts go to their signed URLs, and the complete returns the same document to `uploaded`.
 */
async function replaceFile(api: ApiClient, id: string, path: string): Promise<void> {
  const info = await stat(path).catch(() => {
    throw new AppError('not_found', `No file at ${path}.`);
  });
  if (!info.isFile() || info.size === 0) throw new AppError('invalid_input', `${path} is not a PDF file.`);
  if (info.size > REPLACE_MAX_BYTES) throw new AppError('too_large', `${path} is too large to send as a replacement.`);
  const bytes = new Uint8Array(await readFile(path));
  if (new TextDecoder().decode(bytes.subarray(0, 5)) !== '%PDF-')
    throw new AppError('invalid_input', `${basename(path)} is not a PDF (it does not start with %PDF-).`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const answer = RegisterUploadResponse.parse(
    await call(api, 'post', `/documents/${encodeURIComponent(id)}/replace`, 'Replacing the file', {
      fileName: basename(path),
      sizeBytes: bytes.length,
      sha256,
    }),
  );
  if (answer.outcome === 'duplicate')
    throw new AppError('conflict', `The organisation already has that file (document ${answer.documentId}).`);
  const signal = AbortSignal.timeout(300_000);
  const urls = new Map((answer.urls ?? []).map((u) => [u.partNumber, u.url]));
  const numbers = Array.from({ length: answer.partCount }, (_, i) => i + 1);
  const unsigned = numbers.filter((n) => !urls.has(n));
  for (let i = 0; i < unsigned.length; i += 100) {
    const signed = await api.signParts(answer.uploadId, unsigned.slice(i, i + 100), signal);
    for (const u of signed.urls) urls.set(u.partNumber, u.url);
  }
  const parts = [];
  for (const n of numbers) {
    const body = bytes.subarray((n - 1) * answer.partSizeBytes, n * answer.partSizeBytes);
    parts.push({ partNumber: n, etag: await api.putPart(urls.get(n) as string, body, signal) });
  }
  const done = await api.completeUploads([{ uploadId: answer.uploadId, parts }], signal);
  const result = done.results[0];
  if (!result || result.outcome !== 'completed')
    throw new AppError('conflict', `The server did not take the new file${result ? `: ${result.error.message}` : ''}.`);
}

async function call(
  api: ApiClient,
  method: 'get' | 'post' | 'delete',
  path: string,
  what: string,
  json?: unknown,
): Promise<unknown> {
  try {
    return await ky(`${api.baseUrl}${API_PREFIX}${path}`, {
      method,
      retry: 0,
      timeout: API_TIMEOUT_MS,
      headers: api.sessionToken ? { authorization: `Bearer ${api.sessionToken}` } : {},
      ...(json === undefined ? {} : { json }),
    }).json();
  } catch (err) {
    throw await toHttpFailure(err, what);
  }
}

export function documentActionHandlers(session: SessionService, bus: EventBus): Pick<Handlers, ActionChannel> {
  const changed = (id: string) => {
    session.require().session.pokeSync();
    bus.emit('documents.changed', { ids: [id] });
  };
  const detail = (id: string) => session.require().api.getDocument(id, AbortSignal.timeout(30_000));
  const doc = (id: string) => `/documents/${encodeURIComponent(id)}`;
  return {
    'documents.reprocess': async ({ id }) => {
      await call(session.require().api, 'post', `${doc(id)}/reprocess`, 'Re-running the document');
      changed(id);
      return detail(id);
    },
    'documents.remove': async ({ id }) => {
      await call(session.require().api, 'delete', doc(id), 'Removing the document');
      changed(id);
    },
    'documents.reopen': async ({ id }) => {
      await call(session.require().api, 'post', `${doc(id)}/reopen`, 'Undoing the review decision', {});
      changed(id);
      return detail(id);
    },
    'documents.replace': async ({ id, path }) => {
      await replaceFile(session.require().api, id, path);
      changed(id);
      return detail(id);
    },
    'server.limits': () => session.require().api.serverLimits(),
  };
}
