/**
 * What a coordinator decides about matches: confirm or reassign a document, merge two providers
 * that are one person, split documents off into a provider of their own. Each writes its audit
 * event in the same transaction (callers run these inside one).
 */
import { AppError } from '../../common/errors';
import { appendAuditOnHandle } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';
import { nowIso, type Db } from '../db/open';
import type { Topic } from '../compliance/rule-types';
import { assignByHand, matchOf, moveMatches } from './match-store';
import { parsePersonName, displayName } from './person-name';
import { seedRoster, type RosterResult } from './roster';
import {
  activeByNpi,
  clearTopicOverride,
  findProviderOnHandle,
  insertProvider,
  mergeProviderRows,
  setTopicOverride,
} from './provider-store';

function ownProvider(db: Db, orgId: string, id: string) {
  const p = findProviderOnHandle(db, orgId, id);
  if (!p || p.id !== id) throw new AppError('not_found', `No provider ${id}.`);
  return p;
}

function ownMatch(db: Db, orgId: string, documentId: string) {
  const m = matchOf(db, orgId, documentId);
  if (!m) throw new AppError('not_found', `No matched document ${documentId}.`);
  return m;
}

/** Assigns a document to a provider (or to none) by hand; the reconciler keeps a manual match. */
export function confirmMatch(db: Db, who: SessionPrincipal, documentId: string, providerId: string | null): void {
  const m = ownMatch(db, who.orgId, documentId);
  if (providerId) ownProvider(db, who.orgId, providerId);
  assignByHand(db, documentId, providerId, who.email, nowIso());
  appendAuditOnHandle(db, {
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
  const moved = moveMatches(db, from.id, into.id);
  mergeProviderRows(db, into, from);
  appendAuditOnHandle(db, {
    orgId: who.orgId,
    actor: who.email,
    action: 'provider.merged',
    details: { into: into.id, from: from.id, documentsMoved: moved, npi: from.npi },
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
  if (npi && activeByNpi(db, who.orgId, npi))
    throw new AppError('conflict', `NPI ${npi} already belongs to a provider.`);
  const created = insertProvider(db, who.orgId, { name: displayName(parsed), npi, origin: 'split' });
  const at = nowIso();
  for (const id of documentIds) assignByHand(db, id, created.id, who.email, at);
  appendAuditOnHandle(db, {
    orgId: who.orgId,
    actor: who.email,
    action: 'provider.split',
    details: { from: from.id, to: created.id, documentIds: [...documentIds] },
  });
  return created.id;
}

/**
 * Sets the topics of one of a provider's CME activities by hand (an empty list: no topic), or
 * with null removes that setting so the topics are read from the title again.
 */
export function setCmeTopics(
  db: Db,
  who: SessionPrincipal,
  providerId: string,
  activityKey: string,
  topics: readonly Topic[] | null,
): void {
  const provider = ownProvider(db, who.orgId, providerId);
  if (topics === null) clearTopicOverride(db, { providerId: provider.id, activityKey });
  else setTopicOverride(db, { orgId: who.orgId, providerId: provider.id, activityKey, topics, setBy: who.email });
  appendAuditOnHandle(db, {
    orgId: who.orgId,
    actor: who.email,
    action: topics === null ? 'provider.cme_topics_cleared' : 'provider.cme_topics_set',
    details: { providerId: provider.id, activityKey, topics: topics && [...topics] },
  });
}

/** Seeds providers from a roster CSV, audited with its counts. */
export function seedRosterAudited(db: Db, who: SessionPrincipal, csv: string): RosterResult {
  const r = seedRoster(db, who.orgId, csv);
  appendAuditOnHandle(db, {
    orgId: who.orgId,
    actor: who.email,
    action: 'provider.roster_seeded',
    details: { created: r.created, updated: r.updated, errors: r.errors.length },
  });
  return r;
}
