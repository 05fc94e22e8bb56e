/**
 * The matching reconciler: every document whose extraction finished and that has no match yet,
 * or changed since its match (a later change_seq: reprocessed, reviewed), is matched again. It
 * writes the provider tables; a document whose match changed is announced on the change feed
 * through document-store.ts (announceDocument), the `documents` table's one writer. A unit: callers
 * run it as one write (`deps.units.write`), on either database.
 */
import { lockUntilCommit, rows, type Unit } from '../db/units';
import { documentsToMatch, type ExtractedDocument } from './document-fields';
import { identityOf, type DocumentIdentity } from './document-identity';
import { credentialKey, matchDocument, type IndexedProvider, type MatchDecision } from './match-document';
import { manualMatches, removeOrphanMatches, writeMatch } from './match-store';
import { displayName } from './person-name';
import { addAlias, adoptNpi, insertProvider, loadProviderIndex } from './provider-store';

export interface ReconcileResult {
  matched: number;
  created: number;
  flagged: number;
  removed: number;
}

const PROVIDER_DOC_TYPES = new Set([
  'dea_registration',
  'medical_license',
  'csr_certificate',
  'cme_certificate',
  'cme_transcript',
]);

/** Stronger documents first, so a provider starts from a full name and an NPI rather than from "A. Sehgal". */
function strength(id: DocumentIdentity): number {
  if (id.npi) return 0;
  if (id.dea || id.credential) return 1;
  if (id.parsedName && id.parsedName.first.length > 1) return 2;
  return 3;
}

/**
 * Matches the organisation's new and changed documents. Reconcilers of one organisation take turns
 * across processes (PostgreSQL: an advisory lock; SQLite's write lock already does): two at once
 * would both read a document as unmatched, and create its provider twice.
 */
export function* reconcileOrg(orgId: string, limit = 5000): Unit<ReconcileResult> {
  yield* lockUntilCommit(`providers:${orgId}`);
  const result: ReconcileResult = { matched: 0, created: 0, flagged: 0, removed: 0 };
  result.removed = yield* removeOrphanMatches(orgId);
  const docs = yield* documentsToMatch(orgId, limit);
  if (docs.length === 0) return result;
  const manual = yield* manualMatches(orgId);
  const index = yield* loadProviderIndex(orgId);
  const work = docs
    .map((doc) => ({ doc, id: identityOf(doc) }))
    .sort((a, b) => strength(a.id) - strength(b.id) || a.doc.changeSeq - b.doc.changeSeq);
  for (const { doc, id } of work) {
    if (doc.status === 'rejected' || !doc.docType || !PROVIDER_DOC_TYPES.has(doc.docType)) {
      yield* writeMatch(doc, id, notAProviderDocument(doc));
      continue;
    }
    if (manual.has(doc.id)) {
      yield* writeMatch(doc, id, kept(manual.get(doc.id) ?? null), 'manual');
      continue;
    }
    const decision = matchDocument(id, index);
    if (decision.create) {
      const row = yield* insertProvider(orgId, {
        name: displayName(decision.create.name),
        npi: decision.create.npi,
        origin: 'document',
      });
      index.push({ id: row.id, npi: row.npi, names: [decision.create.name], deas: new Set(), credentials: new Set() });
      decision.providerId = row.id;
      result.created++;
    }
    yield* writeMatch(doc, id, decision);
    if (decision.needsConfirmation) result.flagged++;
    else if (decision.providerId) {
      result.matched++;
      yield* learn(
        orgId,
        index.find((p) => p.id === decision.providerId)!,
        id,
      );
    }
  }
  return result;
}

/** A confident match teaches the index the document's name and identifiers, for the documents after it. */
function* learn(orgId: string, p: IndexedProvider, id: DocumentIdentity): Unit<void> {
  addAlias(p, id.parsedName);
  if (id.dea) p.deas.add(id.dea);
  if (id.credential) p.credentials.add(credentialKey(id.credential));
  if (id.npi && !p.npi && (yield* adoptNpi(orgId, p.id, id.npi))) p.npi = id.npi;
}

function notAProviderDocument(doc: ExtractedDocument): MatchDecision {
  return {
    providerId: null,
    create: null,
    evidence: 'none',
    score: 0,
    needsConfirmation: false,
    reasons: [doc.status === 'rejected' ? 'the document was rejected in review' : 'not a provider credential'],
    candidates: [],
  };
}

function kept(providerId: string | null): MatchDecision {
  return {
    providerId,
    create: null,
    evidence: 'none',
    score: 1,
    needsConfirmation: false,
    reasons: ['confirmed by a coordinator'],
    candidates: [],
  };
}

/** The organisations whose documents the timer matches. */
export function* organisationIds(): Unit<string[]> {
  return (yield* rows((q) => q.selectFrom('organizations').select('id'))).map((r) => r.id);
}
