/**
 * What the routes answer about providers: the list, one provider's page (documents with their
 * match evidence, credentials, CME), and its compliance per license. Figures count only
 * documents matched without doubt (confident or confirmed); flagged ones are listed to confirm.
 * Read only, on either database (the typed query layer).
 */
import { AppError } from '../../common/errors';
import {
  collectActivities,
  totalActivities,
  type CmeActivityRecord,
  type CmeTotals,
} from '../compliance/cme-activities';
import { computeCompliance, type ComplianceResult } from '../compliance/compute-compliance';
import type { Topic } from '../compliance/rule-types';
import { ruleFor } from '../compliance/rules';
import { queryLayer, readSnapshot, type AnyDb } from '../db/kysely';
import { countsInFigures, readDocuments, type ExtractedDocument } from './document-fields';
import { credentialsOf, type Credential, type CredentialEntry } from './credentials';
import type { MatchDecision } from './match-document';
import { activeProviders, findProvider, type ProviderRow } from './provider-store';

interface MatchRow {
  document_id: string;
  provider_id: string | null;
  evidence: string;
  score: number;
  needs_confirmation: number;
  details_json: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
}

export interface MatchedDocument {
  documentId: string;
  docType: string | null;
  fileName: string;
  status: string;
  evidence: string;
  score: number;
  needsConfirmation: boolean;
  reasons: string[];
  confirmedBy: string | null;
  /** The upload folder read as a name and how it fit the automatic match (shown to the coordinator), or null. */
  folderHint: NonNullable<MatchDecision['folderHint']> | null;
}

/** What a match row's details_json holds (the folder hint since migration 006's uploads). */
type MatchDetails = Pick<MatchDecision, 'reasons' | 'candidates' | 'folderHint'>;

export interface ProviderSummary {
  id: string;
  name: string;
  npi: string | null;
  documents: number;
  credentials: Array<{
    docType: string;
    state: string | null;
    number: string | null;
    status: string;
    expirationDate: string | null;
    documentId: string;
  }>;
  cme: { totalCredits: number; activities: number; byCreditType: Record<string, number> };
  /** Documents matched to this provider that wait for a coordinator's confirmation. */
  toConfirm: number;
}

export interface ProviderPage {
  provider: { id: string; name: string; npi: string | null; origin: string; createdAt: string };
  identifiers: Array<{ kind: string; state: string; value: string; origin: string }>;
  documents: MatchedDocument[];
  credentials: Credential[];
  cme: { activities: CmeActivityRecord[]; totals: CmeTotals };
}

/** The organisation's matches to a provider (or to any), in the order they were last written. */
async function matchesOf(db: AnyDb, orgId: string, providerId?: string): Promise<MatchRow[]> {
  let query = queryLayer(db).selectFrom('provider_matches').selectAll().where('org_id', '=', orgId);
  query = providerId ? query.where('provider_id', '=', providerId) : query.where('provider_id', 'is not', null);
  return query.orderBy('matched_at').orderBy('document_id').execute();
}

async function overridesOf(db: AnyDb, providerId: string): Promise<Map<string, Topic[]>> {
  const rows = await queryLayer(db)
    .selectFrom('cme_topic_overrides')
    .select(['activity_key', 'topics_json'])
    .where('provider_id', '=', providerId)
    .execute();
  return new Map(rows.map((r) => [r.activity_key, JSON.parse(r.topics_json) as Topic[]]));
}

/** The documents that back a provider's figures (settled, extracted, not rejected), in its matches' order. */
function settledOf(matches: readonly MatchRow[], docs: ReadonlyMap<string, ExtractedDocument>): ExtractedDocument[] {
  return matches
    .filter((m) => m.needs_confirmation === 0)
    .map((m) => docs.get(m.document_id))
    .filter((d): d is ExtractedDocument => d !== undefined && countsInFigures(d));
}

interface OrgProvider {
  provider: ProviderRow;
  matches: MatchRow[];
  settled: ExtractedDocument[];
  overrides: Map<string, Topic[]>;
}

/** The organisation's documents of these ids, by id. */
async function documentsById(
  db: AnyDb,
  orgId: string,
  ids: readonly string[],
): Promise<Map<string, ExtractedDocument>> {
  return new Map((await readDocuments(db, orgId, ids)).map((d) => [d.id, d]));
}

/**
 * Every active provider of the organisation with its matches, the documents behind its figures
 * and its CME topic overrides: four reads for the organisation rather than three per provider,
 * on one snapshot.
 */
function orgProviders(db: AnyDb, orgId: string): Promise<OrgProvider[]> {
  return readSnapshot(db, (snapshot) => readOrgProviders(snapshot, orgId));
}

async function readOrgProviders(db: AnyDb, orgId: string): Promise<OrgProvider[]> {
  const matches = await matchesOf(db, orgId);
  const byProvider = new Map<string, MatchRow[]>();
  for (const m of matches) {
    const list = byProvider.get(m.provider_id!);
    if (list) list.push(m);
    else byProvider.set(m.provider_id!, [m]);
  }
  const docs = await documentsById(
    db,
    orgId,
    matches.map((m) => m.document_id),
  );
  const overrides = new Map<string, Map<string, Topic[]>>();
  const overrideRows = await queryLayer(db)
    .selectFrom('cme_topic_overrides')
    .select(['provider_id', 'activity_key', 'topics_json'])
    .where('org_id', '=', orgId)
    .execute();
  for (const r of overrideRows) {
    const own = overrides.get(r.provider_id) ?? new Map<string, Topic[]>();
    own.set(r.activity_key, JSON.parse(r.topics_json) as Topic[]);
    overrides.set(r.provider_id, own);
  }
  return (await activeProviders(db, orgId)).map((provider) => {
    const own = byProvider.get(provider.id) ?? [];
    return {
      provider,
      matches: own,
      settled: settledOf(own, docs),
      overrides: overrides.get(provider.id) ?? new Map(),
    };
  });
}

export async function listProviders(
  db: AnyDb,
  orgId: string,
  today: string,
): Promise<{ providers: ProviderSummary[]; documentIds: string[] }> {
  const documentIds: string[] = [];
  const providers = (await orgProviders(db, orgId)).map(({ provider: p, matches, settled, overrides }) => {
    documentIds.push(...settled.map((d) => d.id));
    const totals = totalActivities(collectActivities(settled, overrides));
    return {
      id: p.id,
      name: p.name,
      npi: p.npi,
      documents: settled.length,
      credentials: credentialsOf(settled, today).map(({ current: c }) => ({
        docType: c.docType,
        state: c.state,
        number: c.number,
        status: c.status,
        expirationDate: c.expirationDate,
        documentId: c.documentId,
      })),
      cme: { totalCredits: totals.totalCredits, activities: totals.activities, byCreditType: totals.byCreditType },
      toConfirm: matches.filter((m) => m.needs_confirmation === 1).length,
    };
  });
  return { providers, documentIds };
}

/** Each active provider's current credentials (the expirations views), from the organisation's reads at once. */
export async function providerCredentials(
  db: AnyDb,
  orgId: string,
  today: string,
): Promise<Array<{ id: string; name: string; credentials: CredentialEntry[] }>> {
  return (await orgProviders(db, orgId)).map(({ provider, settled }) => ({
    id: provider.id,
    name: provider.name,
    credentials: credentialsOf(settled, today).map((c) => c.current),
  }));
}

/**
 * Kind, state, then value, compared by code unit as SQLite's default collation does: sorted here,
 * not by ORDER BY, because PostgreSQL sorts text by the cluster's collation, and a linguistic one
 * (en_US, ICU) puts '_' before digits or ignores punctuation.
 */
function byKindStateValue<T extends { kind: string; state: string; value: string }>(rows: T[]): T[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.state, b.state) || cmp(a.value, b.value));
}

export async function requireProvider(db: AnyDb, orgId: string, idOrNpi: string): Promise<ProviderRow> {
  const p = await findProvider(db, orgId, idOrNpi);
  if (!p) throw new AppError('not_found', `No provider ${idOrNpi}.`);
  return p;
}

/** A provider's page: its matches, documents, activities and identifiers, read on one snapshot. */
export function providerPage(db: AnyDb, orgId: string, provider: ProviderRow, today: string): Promise<ProviderPage> {
  return readSnapshot(db, (snapshot) => readProviderPage(snapshot, orgId, provider, today));
}

async function readProviderPage(db: AnyDb, orgId: string, provider: ProviderRow, today: string): Promise<ProviderPage> {
  const matches = await matchesOf(db, orgId, provider.id);
  const all = await readDocuments(
    db,
    orgId,
    matches.map((m) => m.document_id),
  );
  const byId = new Map(all.map((d) => [d.id, d]));
  const settled = settledOf(matches, byId);
  const activities = collectActivities(settled, await overridesOf(db, provider.id));
  const identifiers = byKindStateValue(
    await queryLayer(db)
      .selectFrom('provider_identifiers')
      .select(['kind', 'state', 'value', 'origin'])
      .where('provider_id', '=', provider.id)
      .execute(),
  );
  return {
    provider: {
      id: provider.id,
      name: provider.name,
      npi: provider.npi,
      origin: provider.origin,
      createdAt: provider.created_at,
    },
    identifiers,
    documents: matches
      .filter((m) => byId.has(m.document_id))
      .map((m) => {
        const d = byId.get(m.document_id)!;
        const details = JSON.parse(m.details_json) as MatchDetails;
        return {
          documentId: d.id,
          docType: d.docType,
          fileName: d.fileName,
          status: d.status,
          evidence: m.evidence,
          score: m.score,
          needsConfirmation: m.needs_confirmation === 1,
          reasons: details.reasons,
          confirmedBy: m.confirmed_by,
          folderHint: details.folderHint ?? null,
        };
      }),
    credentials: credentialsOf(settled, today),
    cme: { activities, totals: totalActivities(activities) },
  };
}

/** Compliance of each current license (or only the given state's; a state with no license on file still answers). */
export function providerCompliance(page: ProviderPage, state: string | null): ComplianceResult[] {
  const licenses = page.credentials.filter((c) => c.current.docType === 'medical_license').map((c) => c.current);
  const prescriber = page.credentials.some(
    (c) => c.current.docType === 'dea_registration' || c.current.docType === 'csr_certificate',
  );
  const states = state ? [state] : [...new Set(licenses.map((l) => l.state ?? '').filter(Boolean))];
  return states.map((s) => {
    const license = licenses.find((l) => l.state === s) ?? null;
    return computeCompliance({
      state: s,
      rule: ruleFor(s),
      license: license
        ? { documentId: license.documentId, number: license.number, expirationDate: license.expirationDate }
        : null,
      activities: page.cme.activities,
      prescribesControlledSubstances: prescriber,
    });
  });
}

export async function flaggedMatches(
  db: AnyDb,
  orgId: string,
): Promise<Array<MatchedDocument & { providerId: string | null; candidates: unknown[] }>> {
  const rows = await queryLayer(db)
    .selectFrom('provider_matches')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('needs_confirmation', '=', 1)
    .orderBy('matched_at')
    .orderBy('document_id')
    .execute();
  const docs = await documentsById(
    db,
    orgId,
    rows.map((r) => r.document_id),
  );
  return rows
    .filter((r) => docs.has(r.document_id))
    .map((r) => {
      const d = docs.get(r.document_id)!;
      const details = JSON.parse(r.details_json) as MatchDetails;
      return {
        documentId: d.id,
        docType: d.docType,
        fileName: d.fileName,
        status: d.status,
        evidence: r.evidence,
        score: r.score,
        needsConfirmation: true,
        reasons: details.reasons,
        confirmedBy: null,
        providerId: r.provider_id,
        candidates: details.candidates,
        folderHint: details.folderHint ?? null,
      };
    });
}
