/**
 * Decides which provider a document belongs to, strongest evidence first: NPI, DEA number,
 * license or registration number with its state, then the printed name. A pure function over the
 * organisation's provider index, so every rule here is testable without a database. The upload's
 * folder (folder-hint.ts) is a hint, never proof: it raises or picks among candidates the name
 * already made, and one naming another person sends the match to the coordinator.
 */
import { hintNames, type DocumentIdentity } from './document-identity';
import type { FolderHint } from './folder-hint';
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
  /** The upload folder read as a person's name, and how it fits the decision (recorded with the match). */
  folderHint?: { folder: string; fits: FolderFit };
}

/** At or above: a name alone is enough. Below WEAK_NAME: not the same person. */
export const CONFIDENT_NAME = 0.9;
export const WEAK_NAME = 0.6;
/** Two candidates closer than this are too close to choose between on the name alone. */
const AMBIGUOUS_GAP = 0.15;
/**
 * What a folder naming the provider adds to a name match: enough to break a tie, too little to
 * bridge the ambiguity gap or to lift a weak match out of confirmation (that is decided on the name alone).
 */
export const FOLDER_HINT_BOOST = 0.05;

/** same: the folder names this person; other: someone else; unclear: in between (neither raises nor flags). */
export type FolderFit = 'same' | 'other' | 'unclear';

const ID_SCORE: Record<'npi' | 'dea' | 'license' | 'csr', number> = { npi: 0.99, dea: 0.97, license: 0.95, csr: 0.95 };

export function credentialKey(c: { kind: string; state: string; number: string }): string {
  return `${c.kind}:${c.state}:${c.number}`;
}

function nameScore(p: IndexedProvider, name: PersonName | null): number {
  if (!name) return 0;
  return Math.max(0, ...p.names.map((n) => compareNames(name, n).score));
}

function folderFit(hint: FolderHint | null, names: readonly PersonName[]): FolderFit | null {
  if (!hint) return null;
  const score = Math.max(0, ...names.map((n) => compareNames(hint.name, n).score));
  return score >= CONFIDENT_NAME ? 'same' : score < WEAK_NAME ? 'other' : 'unclear';
}

/** The reason a folder hint adds to a decision about this person, and the record kept with the match. */
function folderNote(
  hint: FolderHint | null,
  names: readonly PersonName[],
  whose: string,
): { reason: string | null; record: MatchDecision['folderHint'] } {
  const fits = folderFit(hint, names);
  if (!hint || !fits) return { reason: null, record: undefined };
  const record = { folder: hint.folder, fits };
  if (fits === 'same')
    return { reason: `the upload folder "${hint.folder}" names ${whose} too (a hint, not proof)`, record };
  if (fits === 'other')
    return { reason: `conflict: the upload folder "${hint.folder}" names another person than ${whose}`, record };
  return { reason: null, record };
}

/** Name candidates, each raised a little where the upload folder names that provider. */
function nameCandidates(doc: DocumentIdentity, providers: readonly IndexedProvider[]): Candidate[] {
  return providers
    .map((p) => {
      const score = nameScore(p, doc.parsedName);
      const raised = score >= WEAK_NAME && folderFit(doc.folderHint, p.names) === 'same';
      return {
        providerId: p.id,
        evidence: 'name' as const,
        score: raised ? Math.min(1, Math.round((score + FOLDER_HINT_BOOST) * 1000) / 1000) : score,
      };
    })
    .filter((c) => c.score >= WEAK_NAME)
    .sort((a, b) => b.score - a.score);
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
  // The folder only reorders and raises candidates the name already made: it never adds one.
  const named = nameCandidates(doc, providers);
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
  // The identifier decides; a folder naming someone else only sends the match to the coordinator.
  const folder = folderNote(doc.folderHint, chosen.names, 'this provider');
  if (folder.reason) reasons.push(folder.reason);
  const conflicted = reasons.some((r) => r.startsWith('conflict:'));
  return {
    providerId: chosen.id,
    create: null,
    evidence: best.evidence,
    score: conflicted ? Math.round(best.score * 50) / 100 : best.score,
    needsConfirmation: conflicted,
    reasons,
    candidates: dedupe([...ids, ...named]),
    ...(folder.record ? { folderHint: folder.record } : {}),
  };
}

function byName(doc: DocumentIdentity, named: Candidate[], byId: Map<string, IndexedProvider>): MatchDecision {
  const [best, second] = named;
  if (!best) return unmatched(doc, byId);
  const provider = byId.get(best.providerId)!;
  const reasons: string[] = [`name matches (${nameScore(provider, doc.parsedName)})`];
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
  // The gap is measured on the printed name alone: the folder's raise orders candidates but must
  // never carry two close names apart (0.95 vs 0.85 raised to 1.0 would otherwise be settled).
  const nameScores = named.map((c) => nameScore(byId.get(c.providerId)!, doc.parsedName)).sort((a, b) => b - a);
  const ambiguous = second !== undefined && nameScores[0]! - nameScores[1]! < AMBIGUOUS_GAP;
  if (ambiguous) {
    const hint = named.filter((c) => suggests(doc, byId.get(c.providerId)!));
    reasons.push(`ambiguous: ${named.length} providers have a similar name`);
    if (hint.length === 1) reasons.push('the upload folder or file name suggests one of them (a hint, not proof)');
    const chosen = hint.length === 1 ? byId.get(hint[0]!.providerId)! : null;
    const record = chosen ? folderNote(doc.folderHint, chosen.names, 'this provider').record : undefined;
    return {
      providerId: chosen?.id ?? null,
      create: null,
      evidence: 'name',
      score: best.score,
      needsConfirmation: true,
      reasons,
      candidates: named,
      ...(record ? { folderHint: record } : {}),
    };
  }
  // Decided on the printed name alone: a folder never lifts a weak match out of confirmation.
  const nameOnly = nameScore(provider, doc.parsedName);
  const weak = nameOnly < CONFIDENT_NAME;
  if (weak) reasons.push('weak: the name matches only in part (an initial, a nickname or a misprint)');
  if (provider.names.some((n) => hintNames(doc.hintTokens, n)))
    reasons.push('the upload folder or file name names this provider too');
  const folder = folderNote(doc.folderHint, provider.names, 'this provider');
  if (folder.reason)
    reasons.push(best.score > nameOnly ? `${folder.reason}: score raised from ${nameOnly}` : folder.reason);
  return {
    providerId: provider.id,
    create: null,
    evidence: 'name',
    score: best.score,
    needsConfirmation: weak || folder.record?.fits === 'other',
    reasons,
    candidates: named,
    ...(folder.record ? { folderHint: folder.record } : {}),
  };
}

/** Whether the upload's provider label, file name or folder names this provider (a hint, not proof). */
function suggests(doc: DocumentIdentity, p: IndexedProvider): boolean {
  return p.names.some((n) => hintNames(doc.hintTokens, n)) || folderFit(doc.folderHint, p.names) === 'same';
}

function unmatched(doc: DocumentIdentity, byId: Map<string, IndexedProvider>): MatchDecision {
  const name = doc.parsedName;
  // A full given name (or an NPI) is enough to start a provider; an initial alone is not.
  if (name && (name.first.length > 1 || doc.npi)) {
    // The new provider is the printed name's; a folder naming someone else is for the coordinator to settle.
    const folder = folderNote(doc.folderHint, [name], 'the printed name');
    return {
      providerId: null,
      create: { name, npi: doc.npi },
      evidence: 'new',
      score: 1,
      needsConfirmation: folder.record?.fits === 'other',
      reasons: ['no provider matches: a new provider from this document', ...(folder.reason ? [folder.reason] : [])],
      candidates: [],
      ...(folder.record ? { folderHint: folder.record } : {}),
    };
  }
  // Never a match: a folder or file name alone only lists the providers it suggests.
  const hinted = [...byId.values()].filter((p) => suggests(doc, p));
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
