/**
 * Audit events for reads of PHI: every API response that carries a document's extracted values
 * or its content writes one event, naming the documents it carried. One event per request (not
 * per document) keeps a page of the change feed one row; a single document is also filed under
 * its id, so `GET /audit?documentId=` lists its reads.
 */
import type { AppDeps } from '../app-env';
import type { SessionPrincipal } from '../auth/sessions';
import { appendAudit } from './audit-log';

export function auditRead(
  deps: Pick<AppDeps, 'units'>,
  who: SessionPrincipal,
  action: string,
  documentIds: readonly string[],
): Promise<unknown> {
  if (documentIds.length === 0) return Promise.resolve();
  const single = documentIds.length === 1 ? documentIds[0]! : null;
  return deps.units.write(() =>
    appendAudit({
      orgId: who.orgId,
      actor: who.email,
      action,
      documentId: single,
      details: single ? {} : { documentIds: [...documentIds] },
    }),
  );
}
