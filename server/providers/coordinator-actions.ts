/**
 * What a coordinator decides about matches: confirm or reassign a document, merge two providers
 * that are one person, split documents off into a provider of their own. Each is a unit writing
 * its audit event in the same transaction, and takes the organisation's providers lock first
 * (reconcile.ts): a decision and a reconciler, or two merges, of one organisation take turns
 * across processes, so neither writes over a match the other has just moved.
 */
import { AppError } from '../../common/errors';
import { appendAudit } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';
import { nowIso } from '../db/open';
import { lockUntilCommit, type Unit } from '../db/units';
import type { Topic } from '../compliance/rule-types';
import { assignByHand, matchOf, moveMatches } from './match-store';
import { parsePersonName, displayName } from './person-name';
import { seedRoster, type RosterResult } from './roster';
import {
  activeByNpi,
  clearTopicOverride,
  findProviderInWrite,
  insertProvider,
  mergeProviderRows,
  setTopicOverride,
} from './provider-store';

function* ownProvider(orgId: string, id: string) {
  const p = yield* findProviderInWrite(orgId, id);
  if (!p || p.id !== id) throw new AppError('not_found', `No provider ${id}.`);
  return p;
}

function* ownMatch(orgId: string, documentId: string) {
  const m = yield* matchOf(orgId, documentId);
  if (!m) throw new AppError('not_found', `No matched document ${documentId}.`);
  return m;
}

const providersLock = (orgId: string) => lockUntilCommit(`providers:${orgId}`);

/** Assigns a document to a provider (or to none) by hand; the reconciler keeps a manual match. */
export function* confirmMatch(who: SessionPrincipal, documentId: string, providerId: string | null): Unit<void> {
  yield* providersLock(who.orgId);
  const m = yield* ownMatch(who.orgId, documentId);
  if (providerId) yield* ownProvider(who.orgId, providerId);
  yield* assignByHand(documentId, providerId, who.email, nowIso());
  yield* appendAudit({
    orgId: who.orgId,
    actor: who.email,
    action: 'provider.match_confirmed',
    documentId,
    details: { from: m.provider_id, to: providerId },
  });
}

/** Folds `fromId` into `intoId`: its documents, identifiers and CME overrides move; it stays as a pointer. */
export function* mergeProviders(who: SessionPrincipal, intoId: string, fromId: string): Unit<void> {
  if (intoId === fromId) throw new AppError('invalid_input', 'A provider cannot be merged into itself.');
  yield* providersLock(who.orgId);
  const into = yield* ownProvider(who.orgId, intoId);
  const from = yield* ownProvider(who.orgId, fromId);
  if (into.npi && from.npi && into.npi !== from.npi)
    throw new AppError('conflict', 'The two providers have different NPIs: they are two people, not one.');
  const moved = yield* moveMatches(from.id, into.id);
  yield* mergeProviderRows(into, from);
  yield* appendAudit({
    orgId: who.orgId,
    actor: who.email,
    action: 'provider.merged',
    details: { into: into.id, from: from.id, documentsMoved: moved, npi: from.npi },
  });
}

/** Moves the given documents of a provider to a new provider named `name`; their matches become manual. */
export function* splitProvider(
  who: SessionPrincipal,
  fromId: string,
  documentIds: readonly string[],
  name: string,
  npi: string | null,
): Unit<string> {
  yield* providersLock(who.orgId);
  const from = yield* ownProvider(who.orgId, fromId);
  const parsed = parsePersonName(name);
  if (!parsed) throw new AppError('invalid_input', 'Give the new provider a given name and a surname.');
  for (const id of documentIds) {
    const m = yield* ownMatch(who.orgId, id);
    if (m.provider_id !== from.id) throw new AppError('conflict', `Document ${id} is not matched to this provider.`);
  }
  if (npi && (yield* activeByNpi(who.orgId, npi)))
    throw new AppError('conflict', `NPI ${npi} already belongs to a provider.`);
  const created = yield* insertProvider(who.orgId, { name: displayName(parsed), npi, origin: 'split' });
  const at = nowIso();
  for (const id of documentIds) yield* assignByHand(id, created.id, who.email, at);
  yield* appendAudit({
    orgId: who.orgId,
    actor: who.email,
    action: 'provider.split',
    details: { from: from.id, to: created.id, documentIds: [...documentIds] },
  });
  return created.id;
}

/**
 * Sets the topics of one of a provider's CME activities by hand (an empty list: no topic), or
 * with null removes that setting so the topics are read from the title again. Under the providers
 * lock too: a merge moves the provider's overrides, and one set meanwhile would be left behind.
 */
export function* setCmeTopics(
  who: SessionPrincipal,
  providerId: string,
  activityKey: string,
  topics: readonly Topic[] | null,
): Unit<void> {
  yield* providersLock(who.orgId);
  const provider = yield* ownProvider(who.orgId, providerId);
  if (topics === null) yield* clearTopicOverride({ providerId: provider.id, activityKey });
  else yield* setTopicOverride({ orgId: who.orgId, providerId: provider.id, activityKey, topics, setBy: who.email });
  yield* appendAudit({
    orgId: who.orgId,
    actor: who.email,
    action: topics === null ? 'provider.cme_topics_cleared' : 'provider.cme_topics_set',
    details: { providerId: provider.id, activityKey, topics: topics && [...topics] },
  });
}

/** Seeds providers from a roster CSV, audited with its counts. */
export function* seedRosterAudited(who: SessionPrincipal, csv: string): Unit<RosterResult> {
  const r = yield* seedRoster(who.orgId, csv);
  yield* appendAudit({
    orgId: who.orgId,
    actor: who.email,
    action: 'provider.roster_seeded',
    details: { created: r.created, updated: r.updated, errors: r.errors.length },
  });
  return r;
}
