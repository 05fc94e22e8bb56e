/**
 * The provider_matches table's one writer: the reconciler's automatic matches, a coordinator's
 * decisions (confirm, merge, split) and the removal of matches whose document is gone. Document
 * summaries carry their match (match-summary.ts), so every change a list would show puts the
 * document on the change feed again (announceDocument) and records that sequence as matched, or
 * the reconciler would take the announced document for a changed one and match it again.
 *
 * All of it runs on the better-sqlite3 handle, inside the caller's write: each change commits with
 * its announcement on the change feed (document-store.ts, still on the handle). Reads are Kysely
 * builders run there (db/on-handle.ts); the writes keep SQLite's own statements until then.
 */
import { announceDocument } from '../documents/document-store';
import { allOnHandle, firstOnHandle, handleQueries } from '../db/on-handle';
import { nowIso, type Db } from '../db/open';
import type { DocumentIdentity } from './document-identity';
import type { MatchDecision } from './match-document';

/** Drops the matches of documents that no longer exist; returns how many. */
export function removeOrphanMatches(db: Db, orgId: string): number {
  return db
    .prepare(
      'DELETE FROM provider_matches WHERE org_id = ? AND document_id NOT IN (SELECT id FROM documents WHERE org_id = ?)',
    )
    .run(orgId, orgId).changes;
}

/** Documents a coordinator assigned by hand, with the provider they chose (null: none of them). */
export function manualMatches(db: Db, orgId: string): Map<string, string | null> {
  const rows = allOnHandle(
    db,
    handleQueries
      .selectFrom('provider_matches')
      .select(['document_id', 'provider_id'])
      .where('org_id', '=', orgId)
      .where('evidence', '=', 'manual'),
  );
  return new Map(rows.map((r) => [r.document_id, r.provider_id]));
}

/** A document's match in this organisation, or null. */
export function matchOf(
  db: Db,
  orgId: string,
  documentId: string,
): { document_id: string; provider_id: string | null } | null {
  const m = firstOnHandle(
    db,
    handleQueries
      .selectFrom('provider_matches')
      .select(['document_id', 'provider_id'])
      .where('org_id', '=', orgId)
      .where('document_id', '=', documentId),
  );
  return m ?? null;
}

/** Records the reconciler's decision for a document; a manual match keeps who confirmed it and when. */
export function writeMatch(
  db: Db,
  doc: { id: string; orgId: string; changeSeq: number },
  id: DocumentIdentity,
  d: MatchDecision,
  evidence: string = d.evidence,
): void {
  const previous = firstOnHandle(
    db,
    handleQueries
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
  const announced = previous && sameShown(previous, shown) ? null : announceDocument(db, doc.id);
  db.prepare(
    `INSERT OR REPLACE INTO provider_matches (document_id, org_id, provider_id, evidence, score, needs_confirmation, details_json,
       doc_name, doc_npi, doc_dea, doc_id_kind, doc_id_state, doc_id_number, confirmed_by, confirmed_at, matched_change_seq, matched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    doc.id,
    doc.orgId,
    shown.provider_id,
    shown.evidence,
    shown.score,
    shown.needs_confirmation,
    JSON.stringify({
      reasons: d.reasons,
      candidates: d.candidates,
      ...(d.folderHint ? { folderHint: d.folderHint } : {}),
    }),
    id.name,
    id.npi,
    id.dea,
    id.credential?.kind ?? null,
    id.credential?.state ?? null,
    id.credential?.number ?? null,
    evidence === 'manual' ? (previous?.confirmed_by ?? null) : null,
    evidence === 'manual' ? (previous?.confirmed_at ?? null) : null,
    announced ?? doc.changeSeq,
    nowIso(),
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
export function announceMatches(db: Db, documentIds: readonly string[]): void {
  const matched = db.prepare('UPDATE provider_matches SET matched_change_seq = ? WHERE document_id = ?');
  for (const id of documentIds) {
    const seq = announceDocument(db, id);
    if (seq !== null) matched.run(seq, id);
  }
}

/** A coordinator's assignment of a document to a provider (or to none): manual, settled, signed. */
export function assignByHand(db: Db, documentId: string, providerId: string | null, by: string, at: string): void {
  db.prepare(
    `UPDATE provider_matches SET provider_id = ?, evidence = 'manual', score = 1, needs_confirmation = 0,
       confirmed_by = ?, confirmed_at = ? WHERE document_id = ?`,
  ).run(providerId, by, at, documentId);
  announceMatches(db, [documentId]);
}

/** Moves every match of one provider to another (a merge); returns how many moved. */
export function moveMatches(db: Db, fromId: string, intoId: string): number {
  const ids = matchedTo(db, fromId);
  db.prepare('UPDATE provider_matches SET provider_id = ? WHERE provider_id = ?').run(intoId, fromId);
  announceMatches(db, ids);
  return ids.length;
}

/** The documents matched to a provider (confirmed or not). */
export function matchedTo(db: Db, providerId: string): string[] {
  return allOnHandle(
    db,
    handleQueries.selectFrom('provider_matches').select('document_id').where('provider_id', '=', providerId),
  ).map((r) => r.document_id);
}
