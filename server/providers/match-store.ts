/**
 * The provider_matches table's one writer: the reconciler's automatic matches, a coordinator's
 * decisions (confirm, merge, split) and the removal of matches whose document is gone. Document
 * summaries carry their match (match-summary.ts), so every change a list would show puts the
 * document on the change feed again (announceDocument) and records that sequence as matched, or
 * the reconciler would take the announced document for a changed one and match it again.
 *
 * Each function is a unit (db/units.ts), composed into the caller's write: a change commits with
 * its announcement on the change feed (document-store.ts), on either database.
 */
import { announceDocument } from '../documents/document-store';
import { nowIso } from '../db/open';
import { affected, first, rows, type Unit } from '../db/units';
import type { DocumentIdentity } from './document-identity';
import type { MatchDecision } from './match-document';

/** Drops the matches of documents that no longer exist; returns how many. */
export function* removeOrphanMatches(orgId: string): Unit<number> {
  return yield* affected((q) =>
    q
      .deleteFrom('provider_matches')
      .where('org_id', '=', orgId)
      .where('document_id', 'not in', q.selectFrom('documents').select('id').where('org_id', '=', orgId)),
  );
}

/** Documents a coordinator assigned by hand, with the provider they chose (null: none of them). */
export function* manualMatches(orgId: string): Unit<Map<string, string | null>> {
  const found = yield* rows((q) =>
    q
      .selectFrom('provider_matches')
      .select(['document_id', 'provider_id'])
      .where('org_id', '=', orgId)
      .where('evidence', '=', 'manual'),
  );
  return new Map(found.map((r) => [r.document_id, r.provider_id]));
}

/** A document's match in this organisation, or null. */
export function* matchOf(
  orgId: string,
  documentId: string,
): Unit<{ document_id: string; provider_id: string | null } | null> {
  const m = yield* first((q) =>
    q
      .selectFrom('provider_matches')
      .select(['document_id', 'provider_id'])
      .where('org_id', '=', orgId)
      .where('document_id', '=', documentId),
  );
  return m ?? null;
}

/** Records the reconciler's decision for a document; a manual match keeps who confirmed it and when. */
export function* writeMatch(
  doc: { id: string; orgId: string; changeSeq: number },
  id: DocumentIdentity,
  d: MatchDecision,
  evidence: string = d.evidence,
): Unit<void> {
  const previous = yield* first((q) =>
    q
      .selectFrom('provider_matches')
      .select(['provider_id', 'evidence', 'score', 'needs_confirmation', 'confirmed_by', 'confirmed_at'])
      .where('document_id', '=', doc.id),
  );
  const shown = {
    provider_id: d.providerId,
    evidence,
    score: d.score,
    needs_confirmation: d.needsConfirmation ? 1 : 0,
  };
  // Re-matched to the same result (a reviewed or reprocessed document): nothing new to announce.
  const announced = previous && sameShown(previous, shown) ? null : yield* announceDocument(doc.id);
  const row = {
    ...shown,
    org_id: doc.orgId,
    details_json: JSON.stringify({
      reasons: d.reasons,
      candidates: d.candidates,
      ...(d.folderHint ? { folderHint: d.folderHint } : {}),
    }),
    doc_name: id.name,
    doc_npi: id.npi,
    doc_dea: id.dea,
    doc_id_kind: id.credential?.kind ?? null,
    doc_id_state: id.credential?.state ?? null,
    doc_id_number: id.credential?.number ?? null,
    confirmed_by: evidence === 'manual' ? (previous?.confirmed_by ?? null) : null,
    confirmed_at: evidence === 'manual' ? (previous?.confirmed_at ?? null) : null,
    matched_change_seq: announced ?? doc.changeSeq,
    matched_at: nowIso(),
  };
  // The whole row is replaced, as SQLite's INSERT OR REPLACE did, in the text both databases take.
  yield* affected((q) =>
    q
      .insertInto('provider_matches')
      .values({ document_id: doc.id, ...row })
      .onConflict((oc) => oc.column('document_id').doUpdateSet(row)),
  );
}

interface ShownMatch {
  provider_id: string | null;
  evidence: string;
  score: number;
  needs_confirmation: number;
}

function sameShown(a: ShownMatch, b: ShownMatch): boolean {
  return (
    a.provider_id === b.provider_id &&
    a.evidence === b.evidence &&
    a.score === b.score &&
    a.needs_confirmation === b.needs_confirmation
  );
}

/** Announces the documents' changed match on the feed and records the new sequence as matched. */
export function* announceMatches(documentIds: readonly string[]): Unit<void> {
  for (const id of documentIds) {
    const seq = yield* announceDocument(id);
    if (seq !== null)
      yield* affected((q) =>
        q.updateTable('provider_matches').set({ matched_change_seq: seq }).where('document_id', '=', id),
      );
  }
}

/** A coordinator's assignment of a document to a provider (or to none): manual, settled, signed. */
export function* assignByHand(documentId: string, providerId: string | null, by: string, at: string): Unit<void> {
  yield* affected((q) =>
    q
      .updateTable('provider_matches')
      .set({
        provider_id: providerId,
        evidence: 'manual',
        score: 1,
        needs_confirmation: 0,
        confirmed_by: by,
        confirmed_at: at,
      })
      .where('document_id', '=', documentId),
  );
  yield* announceMatches([documentId]);
}

/** Moves every match of one provider to another (a merge); returns how many moved. */
export function* moveMatches(fromId: string, intoId: string): Unit<number> {
  const ids = yield* matchedTo(fromId);
  yield* affected((q) =>
    q.updateTable('provider_matches').set({ provider_id: intoId }).where('provider_id', '=', fromId),
  );
  yield* announceMatches(ids);
  return ids.length;
}

/** The documents matched to a provider (confirmed or not). */
export function* matchedTo(providerId: string): Unit<string[]> {
  const found = yield* rows((q) =>
    q.selectFrom('provider_matches').select('document_id').where('provider_id', '=', providerId),
  );
  return found.map((r) => r.document_id);
}
