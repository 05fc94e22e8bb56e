/**
 * The matching reconciler: every document whose extraction finished and that has no match yet,
 * or changed since its match (a later change_seq: reprocessed, reviewed), is matched again. It
 * only reads `documents`; it writes the provider tables. Callers run it inside one write
 * transaction (the route's group commit, or db.transaction in tests).
 */
import { nowIso, type Db } from '../db/open';
import { documentsToMatch, type ExtractedDocument } from './document-fields';
import { identityOf, type DocumentIdentity } from './document-identity';
import { credentialKey, matchDocument, type IndexedProvider, type MatchDecision } from './match-document';
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

export function reconcileOrg(db: Db, orgId: string, limit = 5000): ReconcileResult {
  const result: ReconcileResult = { matched: 0, created: 0, flagged: 0, removed: 0 };
  result.removed = db
    .prepare(
      'DELETE FROM provider_matches WHERE org_id = ? AND document_id NOT IN (SELECT id FROM documents WHERE org_id = ?)',
    )
    .run(orgId, orgId).changes;
  const docs = documentsToMatch(db, orgId, limit);
  if (docs.length === 0) return result;
  const manual = new Map(
    (
      db
        .prepare("SELECT document_id, provider_id FROM provider_matches WHERE org_id = ? AND evidence = 'manual'")
        .all(orgId) as Array<{ document_id: string; provider_id: string | null }>
    ).map((r) => [r.document_id, r.provider_id]),
  );
  const index = loadProviderIndex(db, orgId);
  const work = docs
    .map((doc) => ({ doc, id: identityOf(doc) }))
    .sort((a, b) => strength(a.id) - strength(b.id) || a.doc.changeSeq - b.doc.changeSeq);
  for (const { doc, id } of work) {
    if (doc.status === 'rejected' || !doc.docType || !PROVIDER_DOC_TYPES.has(doc.docType)) {
      writeMatch(db, doc, id, notAProviderDocument(doc));
      continue;
    }
    if (manual.has(doc.id)) {
      writeMatch(db, doc, id, kept(manual.get(doc.id) ?? null), 'manual');
      continue;
    }
    const decision = matchDocument(id, index);
    if (decision.create) {
      const row = insertProvider(db, orgId, {
        name: displayName(decision.create.name),
        npi: decision.create.npi,
        origin: 'document',
      });
      index.push({ id: row.id, npi: row.npi, names: [decision.create.name], deas: new Set(), credentials: new Set() });
      decision.providerId = row.id;
      result.created++;
    }
    writeMatch(db, doc, id, decision);
    if (decision.needsConfirmation) result.flagged++;
    else if (decision.providerId) {
      result.matched++;
      learn(
        db,
        orgId,
        index.find((p) => p.id === decision.providerId)!,
        id,
      );
    }
  }
  return result;
}

/** A confident match teaches the index the document's name and identifiers, for the documents after it. */
function learn(db: Db, orgId: string, p: IndexedProvider, id: DocumentIdentity): void {
  addAlias(p, id.parsedName);
  if (id.dea) p.deas.add(id.dea);
  if (id.credential) p.credentials.add(credentialKey(id.credential));
  if (id.npi && !p.npi && adoptNpi(db, orgId, p.id, id.npi)) p.npi = id.npi;
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

function writeMatch(
  db: Db,
  doc: ExtractedDocument,
  id: DocumentIdentity,
  d: MatchDecision,
  evidence: string = d.evidence,
): void {
  const previous = db
    .prepare('SELECT confirmed_by, confirmed_at FROM provider_matches WHERE document_id = ?')
    .get(doc.id) as { confirmed_by: string | null; confirmed_at: string | null } | undefined;
  db.prepare(
    `INSERT OR REPLACE INTO provider_matches (document_id, org_id, provider_id, evidence, score, needs_confirmation, details_json,
       doc_name, doc_npi, doc_dea, doc_id_kind, doc_id_state, doc_id_number, confirmed_by, confirmed_at, matched_change_seq, matched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    doc.id,
    doc.orgId,
    d.providerId,
    evidence,
    d.score,
    d.needsConfirmation ? 1 : 0,
    JSON.stringify({ reasons: d.reasons, candidates: d.candidates }),
    id.name,
    id.npi,
    id.dea,
    id.credential?.kind ?? null,
    id.credential?.state ?? null,
    id.credential?.number ?? null,
    evidence === 'manual' ? (previous?.confirmed_by ?? null) : null,
    evidence === 'manual' ? (previous?.confirmed_at ?? null) : null,
    doc.changeSeq,
    nowIso(),
  );
}
