/**
 * The server's limits for a watch that runs outside the desktop services (`credmate import
 * --watch`): GET /api/v1/limits through the signed-in client, as the desktop's `server.limits`
 * channel asks it (main/services/document-actions.ts), never a copy of the numbers in the client.
 */
import { API_PREFIX, ServerLimits as LimitsAnswer } from '../../../common/api';
import { AppError } from '../../../common/errors';
import type { ApiClient } from '../api-client';
import type { ServerLimits } from './watch-queue';

const LIMITS_TIMEOUT_MS = 15_000;

export async function fetchServerLimits(api: ApiClient, signal?: AbortSignal): Promise<ServerLimits> {
  const timeout = AbortSignal.timeout(LIMITS_TIMEOUT_MS);
  const res = await fetch(`${api.baseUrl}${API_PREFIX}/limits`, {
    headers: api.sessionToken ? { authorization: `Bearer ${api.sessionToken}` } : {},
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  if (!res.ok) throw new AppError('network', `Reading the server's limits: the server answered ${res.status}.`);
  const limits = LimitsAnswer.pick({ maxUploadBytes: true, maxDocumentBytes: true, maxPages: true }).parse(
    await res.json(),
  );
  // A file must pass both: registered for upload, then read by extraction.
  return { maxBytes: Math.min(limits.maxUploadBytes, limits.maxDocumentBytes), maxPages: limits.maxPages };
}
