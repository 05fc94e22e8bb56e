/**
 * What a coordinator decides about matches: confirm or reassign a document, merge two providers
 * that are one person, split documents off into a provider of their own. Each writes its audit
 * event in the same transaction (callers run these inside one).
 */
import { AppError } from '../../common/errors';
import { appendAudit } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';
import { nowIso, type Db } from '../db/open';
import { parsePersonName, displayName } from './person-name';
import { findProvider, insertProvider } from './provider-store';

function ownProvider(db: Db, orgId: string, id: string) {
  const p = findProvider(db, orgId, id);
  if (!p || p.id !== id) throw new AppError('not_found', `No provider ${id}.`);
  return p;
}

function ownMatch(db: Db, orgId: string, documentId: string) {
  const m = db
    .prepare('SELECT document_id, provider_id FROM provider_matches WHERE org_id = ? AND document_id = ?')
    .get(orgId, documentId) as { document_id: string; provider_id: string | null } | undefined;
  if (!m) throw new AppError('not_found', `No matched document ${documentId}.`);
  return m;
}

/** Assigns a document to a provider (or to none) by hand; the reconciler keeps a manual match. */
export function confirmMatch(db: Db, who: SessionPrincipal, documentId: string, providerId: string | null): void {
  const m = ownMatch(db, who.orgId, documentId);
  if (providerId) ownProvider(db, who.orgId, providerId);
  db.prepare(
    `UPDATE provider_matches SET provider_id = ?, evidence = 'manual', score = 1, needs_confirmation = 0,
       confirmed_by = ?, confirmed_at = ? WHERE document_id = ?`,
  ).run(providerId, who.email, nowIso(), documentId);
  appendAudit(db, {
    orgId: who.orgId,
    actor: who.email,
    action: 'provider.match_confirmed',
    documentId,
    details: { from: m.provider_id, to: providerId },
  });
}

/** Folds `fromId` into `intoId`: its documents, identifiers and CME overrides move; it stays as a pointer. */
export function mergeProviders(db: Db, who: SessionPrincipal, intoId: string, fromId: string): void {
  if (intoId === fromId) throw new AppError('invalid_input', 'A provider cannot be merged into itself.');
  const into = ownProvider(db, who.orgId, intoId);
  const from = ownProvider(db, who.orgId, fromId);
  if (into.npi && from.npi && into.npi !== from.npi)
    throw new AppError('conflict', 'The two providers have different NPIs: they are two people, not one.');
  const at = nowIso();
  const moved = db.prepare('UPDATE provider_matches SET provider_id = ? WHERE provider_id = ?').run(into.id, from.id);
  db.prepare('UPDATE OR IGNORE provider_identifiers SET provider_id = ? WHERE provider_id = ?').run(into.id, from.id);
  db.prepare('DELETE FROM provider_identifiers WHERE provider_id = ?').run(from.id);
  db.prepare('UPDATE OR IGNORE cme_topic_overrides SET provider_id = ? WHERE provider_id = ?').run(into.id, from.id);
  db.prepare('DELETE FROM cme_topic_overrides WHERE provider_id = ?').run(from.id);
  // The NPI moves before the merged row lets go of it (one active provider per NPI).
  db.prepare('UPDATE providers SET merged_into = ?, npi = NULL, updated_at = ? WHERE id = ?').run(into.id, at, from.id);
  if (!into.npi && from.npi)
    db.prepare('UPDATE providers SET npi = ?, updated_at = ? WHERE id = ?').run(from.npi, at, into.id);
  appendAudit(db, {
    orgId: who.orgId,
    actor: who.email,
    action: 'provider.merged',
    details: { into: into.id, from: from.id, documentsMoved: moved.changes, npi: from.npi },
  });
}

/** Moves the given documents of a provider to a new provider named `name`; their matches become manual. */
export function splitProvider(
  db: Db,
  who: SessionPrincipal,
  fromId: string,
  documentIds: readonly string[],
  name: string,
  npi: string | null,
): string {
  const from = ownProvider(db, who.orgId, fromId);
  const parsed = parsePersonName(name);
  if (!parsed) throw new AppError('invalid_input', 'Give the new provider a given name and a surname.');
  for (const id of documentIds) {
    const m = ownMatch(db, who.orgId, id);
    if (m.provider_id !== from.id) throw new AppError('conflict', `Document ${id} is not matched to this provider.`);
  }
  if (
    npi &&
    db.prepare('SELECT 1 FROM providers WHERE org_id = ? AND npi = ? AND merged_into IS NULL').get(who.orgId, npi)
  )
    throw new AppError('conflict', `NPI ${npi} already belongs to a provider.`);
  const created = insertProvider(db, who.orgId, { name: displayName(parsed), npi, origin: 'split' });
  const at = nowIso();
  for (const id of documentIds)
    db.prepare(
      `UPDATE provider_matches SET provider_id = ?, evidence = 'manual', score = 1, needs_confirmation = 0,
         confirmed_by = ?, confirmed_at = ? WHERE document_id = ?`,
    ).run(created.id, who.email, at, id);
  appendAudit(db, {
    orgId: who.orgId,
    actor: who.email,
    action: 'provider.split',
    details: { from: from.id, to: created.id, documentIds: [...documentIds] },
  });
  return created.id;
}
