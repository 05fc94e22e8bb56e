/**
 * Audit events for reads of provider data. A provider's name and NPI are PHI even when no
 * document is carried, so every read writes one event naming the providers and the documents
 * behind the figures (audit-reads.ts writes nothing for a read without documents).
 */
import type { AppDeps } from '../app-env';
import { appendAuditOnHandle } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';

/** The audit event of a provider read, written inside the caller's write (so it commits with it). */
export function recordProviderRead(
  db: AppDeps['db'],
  who: SessionPrincipal,
  action: string,
  providerIds: readonly string[],
  documentIds: readonly string[],
): number {
  return appendAuditOnHandle(db, {
    orgId: who.orgId,
    actor: who.email,
    action,
    documentId: documentIds.length === 1 ? documentIds[0]! : null,
    details: { providerIds: [...providerIds], documentIds: [...documentIds] },
  });
}

export function auditProviderRead(
  deps: Pick<AppDeps, 'db' | 'writes'>,
  who: SessionPrincipal,
  action: string,
  providerIds: readonly string[],
  documentIds: readonly string[],
): Promise<unknown> {
  return deps.writes.run(() => recordProviderRead(deps.db, who, action, providerIds, documentIds));
}
