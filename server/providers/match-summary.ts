/**
 * The provider match each document summary carries (common/api.ts DocumentMatch): who it is
 * matched to, on what evidence, how sure, and whether a coordinator must confirm it. Read only;
 * match-store.ts writes the matches and announces each change on the change feed.
 */
import type { DocumentMatch } from '../../common/api';
import { queryLayer, type AnyDb } from '../db/kysely';

/** The matches of the given documents of the organisation, by document id (unmatched ones are absent); on either database. */
export async function documentMatches(
  anyDb: AnyDb,
  orgId: string,
  documentIds: readonly string[],
): Promise<Map<string, DocumentMatch>> {
  const db = queryLayer(anyDb);
  const out = new Map<string, DocumentMatch>();
  // Chunks below SQLite's bound-parameter limit.
  for (let i = 0; i < documentIds.length; i += 500) {
    const chunk = documentIds.slice(i, i + 500);
    const rows = await db
      .selectFrom('provider_matches as m')
      .leftJoin('providers as p', (join) => join.onRef('p.id', '=', 'm.provider_id').onRef('p.org_id', '=', 'm.org_id'))
      .select(['m.document_id', 'm.provider_id', 'p.name', 'm.evidence', 'm.score', 'm.needs_confirmation'])
      .where('m.org_id', '=', orgId)
      .where('m.document_id', 'in', chunk)
      .execute();
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
export async function documentMatch(db: AnyDb, orgId: string, documentId: string): Promise<DocumentMatch | null> {
  return (await documentMatches(db, orgId, [documentId])).get(documentId) ?? null;
}
