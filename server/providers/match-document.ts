/**
 * Decides which provider a document belongs to, strongest evidence first: NPI, DEA number,
 * license or registration number with its state, then the printed name. A pure function over the
 * organisation's provider index, so every rule here is testable without a database.
 */
import { hintNames, type DocumentIdentity } from './document-identity';
import { compareNames, type PersonName } from './person-name';

export interface IndexedProvider {
  id: string;
  npi: string | null;
  /** The provider's own name and every name its confidently matched documents print. */
  names: PersonName[];
  deas: Set<string>;
  /** `kind:state:number`. */
  credentials: Set<string>;
}

export type Evidence = 'npi' | 'dea' | 'license' | 'csr' | 'name' | 'new' | 'none';

export interface Candidate {
  providerId: string;
  evidence: Evidence;
  score: number;
}

export interface MatchDecision {
  /** null: no provider (none fits, or the candidates are too close to choose). */
  providerId: string | null;
  /** Set when no provider fits and the document names a person well enough to start one. */
  create: { name: PersonName; npi: string | null } | null;
  evidence: Evidence;
  score: number;
  needsConfirmation: boolean;
  reasons: string[];
  candidates: Candidate[];
}

/** At or above: a name alone is enough. Below WEAK_NAME: not the same person. */
export const CONFIDENT_NAME = 0.9;
export const WEAK_NAME = 0.6;
/** Two candidates closer than this are too close to choose between on the name alone. */
const AMBIGUOUS_GAP = 0.15;

const ID_SCORE: Record<'npi' | 'dea' | 'license' | 'csr', number> = { npi: 0.99, dea: 0.97, license: 0.95, csr: 0.95 };

export function credentialKey(c: { kind: string; state: string; number: string }): string {
  return `${c.kind}:${c.state}:${c.number}`;
}

function nameScore(p: IndexedProvider, name: PersonName | null): number {
  if (!name) return 0;
  return Math.max(0, ...p.names.map((n) => compareNames(name, n).score));
}

function identifierHits(doc: DocumentIdentity, providers: readonly IndexedProvider[]): Candidate[] {
  const hits: Candidate[] = [];
  for (const p of providers) {
    if (doc.npi && p.npi === doc.npi) hits.push({ providerId: p.id, evidence: 'npi', score: ID_SCORE.npi });
    if (doc.dea && p.deas.has(doc.dea)) hits.push({ providerId: p.id, evidence: 'dea', score: ID_SCORE.dea });
    if (doc.credential && p.credentials.has(credentialKey(doc.credential)))
      hits.push({ providerId: p.id, evidence: doc.credential.kind, score: ID_SCORE[doc.credential.kind] });
  }
  return hits.sort((a, b) => b.score - a.score);
}

export function matchDocument(doc: DocumentIdentity, providers: readonly IndexedProvider[]): MatchDecision {
  const byId = new Map(providers.map((p) => [p.id, p]));
  const ids = identifierHits(doc, providers);
  const named = providers
    .map((p) => ({ providerId: p.id, evidence: 'name' as const, score: nameScore(p, doc.parsedName) }))
    .filter((c) => c.score >= WEAK_NAME)
    .sort((a, b) => b.score - a.score);
  if (ids.length > 0) return byIdentifier(doc, ids, named, byId);
  return byName(doc, named, byId);
}

function byIdentifier(
  doc: DocumentIdentity,
  ids: Candidate[],
  named: Candidate[],
  byId: Map<string, IndexedProvider>,
): MatchDecision {
  const best = ids[0]!;
  const chosen = byId.get(best.providerId)!;
  const reasons = [`${best.evidence} on file for this provider`];
  const others = ids.filter((c) => c.providerId !== best.providerId);
  if (others.length > 0)
    reasons.push(`conflict: ${others.map((c) => c.evidence).join(', ')} on file for another provider`);
  if (doc.npi && chosen.npi && doc.npi !== chosen.npi)
    reasons.push('conflict: the document prints another NPI than the provider has');
  if (doc.parsedName && nameScore(chosen, doc.parsedName) < WEAK_NAME)
    reasons.push('conflict: the printed name does not match the provider');
  const conflicted = reasons.length > 1;
  return {
    providerId: chosen.id,
    create: null,
    evidence: best.evidence,
    score: conflicted ? Math.round(best.score * 50) / 100 : best.score,
    needsConfirmation: conflicted,
    reasons,
    candidates: dedupe([...ids, ...named]),
  };
}

function byName(doc: DocumentIdentity, named: Candidate[], byId: Map<string, IndexedProvider>): MatchDecision {
  const [best, second] = named;
  if (!best) return unmatched(doc, byId);
  const provider = byId.get(best.providerId)!;
  const reasons: string[] = [`name matches (${best.score})`];
  // A document NPI the provider does not have, when the provider has one: two people of one name.
  if (doc.npi && provider.npi && provider.npi !== doc.npi) {
    return {
      providerId: null,
      create: null,
      evidence: 'name',
      score: best.score,
      needsConfirmation: true,
      reasons: [...reasons, 'conflict: the document prints another NPI than the provider of this name has'],
      candidates: named,
    };
  }
  const ambiguous = second !== undefined && best.score - second.score < AMBIGUOUS_GAP;
  if (ambiguous) {
    const hint = named.filter((c) => byId.get(c.providerId)!.names.some((n) => hintNames(doc.hintTokens, n)));
    reasons.push(`ambiguous: ${named.length} providers have a similar name`);
    if (hint.length === 1) reasons.push('the upload folder or file name suggests one of them (a hint, not proof)');
    return {
      providerId: hint.length === 1 ? hint[0]!.providerId : null,
      create: null,
      evidence: 'name',
      score: best.score,
      needsConfirmation: true,
      reasons,
      candidates: named,
    };
  }
  const weak = best.score < CONFIDENT_NAME;
  if (weak) reasons.push('weak: the name matches only in part (an initial, a nickname or a misprint)');
  if (provider.names.some((n) => hintNames(doc.hintTokens, n)))
    reasons.push('the upload folder or file name names this provider too');
  return {
    providerId: provider.id,
    create: null,
    evidence: 'name',
    score: best.score,
    needsConfirmation: weak,
    reasons,
    candidates: named,
  };
}

function unmatched(doc: DocumentIdentity, byId: Map<string, IndexedProvider>): MatchDecision {
  const name = doc.parsedName;
  // A full given name (or an NPI) is enough to start a provider; an initial alone is not.
  if (name && (name.first.length > 1 || doc.npi)) {
    return {
      providerId: null,
      create: { name, npi: doc.npi },
      evidence: 'new',
      score: 1,
      needsConfirmation: false,
      reasons: ['no provider matches: a new provider from this document'],
      candidates: [],
    };
  }
  const hinted = [...byId.values()].filter((p) => p.names.some((n) => hintNames(doc.hintTokens, n)));
  const reasons = name
    ? ['the name gives only an initial and no provider matches it']
    : ['the document prints no name or identifier'];
  if (hinted.length > 0) reasons.push('the upload folder or file name suggests a provider (a hint, not proof)');
  return {
    providerId: null,
    create: null,
    evidence: 'none',
    score: 0,
    // Nothing to confirm for a document that names no one and has no hint.
    needsConfirmation: name !== null || hinted.length > 0,
    reasons,
    candidates: hinted.map((p) => ({ providerId: p.id, evidence: 'none' as const, score: 0 })),
  };
}

function dedupe(cands: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return cands.filter((c) => {
    const k = `${c.providerId}:${c.evidence}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
