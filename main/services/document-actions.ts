/**
 * Actions on one document beyond reading and reviewing (issue 16): re-run a failed extraction,
 * remove a document (admins), undo a review decision, and the server's limits for the import
 * preview's preflight. Each asks the server through the signed-in connection, then nudges the
 * mirror's sync so lists show the change at once.
 */
import ky from 'ky';
import { z } from 'zod';
import { API_PREFIX } from '../../common/api';
import { API_TIMEOUT_MS, type ApiClient } from '../core/api-client';
import { toHttpFailure } from '../core/http-failure';
import type { Handlers } from './dispatch';
import type { EventBus } from './event-bus';
import type { SessionService } from './session-service';

type ActionChannel = 'documents.reprocess' | 'documents.remove' | 'documents.reopen' | 'server.limits';

/** The fields of GET /limits the preflight uses; the server may say more. */
const LimitsAnswer = z.object({
  maxUploadBytes: z.number().int().positive(),
  maxDocumentBytes: z.number().int().positive(),
  maxPages: z.number().int().positive(),
});

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
    'server.limits': async () => {
      const limits = LimitsAnswer.parse(
        await call(session.require().api, 'get', '/limits', "Reading the server's limits"),
      );
      // A file must pass both: registered for upload, then read by extraction.
      return { maxBytes: Math.min(limits.maxUploadBytes, limits.maxDocumentBytes), maxPages: limits.maxPages };
    },
  };
}
