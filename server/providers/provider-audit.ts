/**
 * Audit events for reads of provider data. A provider's name and NPI are PHI even when no
 * document is carried, so every read writes one event naming the providers and the documents
 * behind the figures (audit-reads.ts writes nothing for a read without documents).
 */
import type { AppDeps } from '../app-env';
import { appendAudit } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';
import type { Unit } from '../db/units';

/** The audit event of a provider read, a unit composed into the caller's write (so it commits with it). */
export function* recordProviderRead(
  who: SessionPrincipal,
  action: string,
  providerIds: readonly string[],
  documentIds: readonly string[],
): Unit<number> {
  return yield* appendAudit({
    orgId: who.orgId,
    actor: who.email,
    action,
    documentId: documentIds.length === 1 ? documentIds[0]! : null,
    details: { providerIds: [...providerIds], documentIds: [...documentIds] },
  });
}

export function auditProviderRead(
  deps: Pick<AppDeps, 'units'>,
  who: SessionPrincipal,
  action: string,
  providerIds: readonly string[],
  documentIds: readonly string[],
): Promise<unknown> {
  return deps.units.write(() => recordProviderRead(who, action, providerIds, documentIds));
}
