/**
 * The provider match each document summary carries (common/api.ts DocumentMatch): who it is
 * matched to, on what evidence, how sure, and whether a coordinator must confirm it. Read only;
 * match-store.ts writes the matches and announces each change on the change feed.
 */
import type { DocumentMatch } from '../../common/api';
import type { Db } from '../db/open';

interface Row {
  document_id: string;
  provider_id: string | null;
  name: string | null;
  evidence: string;
  score: number;
  needs_confirmation: number;
}

/** The matches of the given documents of the organisation, by document id (unmatched ones are absent). */
export function documentMatches(db: Db, orgId: string, documentIds: readonly string[]): Map<string, DocumentMatch> {
  const out = new Map<string, DocumentMatch>();
  // Chunks below SQLite's bound-parameter limit.
  for (let i = 0; i < documentIds.length; i += 500) {
    const chunk = documentIds.slice(i, i + 500);
    const rows = db
      .prepare(
        `SELECT m.document_id, m.provider_id, p.name, m.evidence, m.score, m.needs_confirmation
         FROM provider_matches m LEFT JOIN providers p ON p.id = m.provider_id AND p.org_id = m.org_id
         WHERE m.org_id = ? AND m.document_id IN (${chunk.map(() => '?').join(',')})`,
      )
      .all(orgId, ...chunk) as Row[];
    for (const r of rows)
      out.set(r.document_id, {
        providerId: r.provider_id,
        providerName: r.name,
        evidence: r.evidence,
        score: r.score,
        needsConfirmation: r.needs_confirmation === 1,
      });
  }
  return out;
}

/** One document's match, or null when it has none yet. */
export function documentMatch(db: Db, orgId: string, documentId: string): DocumentMatch | null {
  return documentMatches(db, orgId, [documentId]).get(documentId) ?? null;
}
