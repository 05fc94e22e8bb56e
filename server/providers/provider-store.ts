/**
 * The providers, provider_identifiers and cme_topic_overrides tables' one writer: rows read into
 * the matcher's index, created from documents, the roster or a split, renamed, merged, and the
 * coordinator's CME topic overrides. (provider_matches: match-store.ts; expiry_notices: expiry-notices.ts.)
 *
 * Reads outside a write run on either database (async, the typed query layer). Writes, and reads
 * made inside a write, are units (db/units.ts): they commit in one transaction with the audit
 * chain and the change feed (match-store.ts), on either database.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { queryLayer, type AnyDb } from '../db/kysely';
import { nowIso } from '../db/open';
import type { DatabaseSchema } from '../db/schema';
import { affected, first, rows, type Unit } from '../db/units';
import { credentialKey, type IndexedProvider } from './match-document';
import { parsePersonName, type PersonName } from './person-name';

export interface ProviderRow {
  id: string;
  org_id: string;
  name: string;
  npi: string | null;
  origin: 'roster' | 'document' | 'split';
  merged_into: string | null;
  created_at: string;
  updated_at: string;
}

type Queries = Kysely<DatabaseSchema>;

const activeQuery = (k: Queries, orgId: string) =>
  k.selectFrom('providers').selectAll().where('org_id', '=', orgId).where('merged_into', 'is', null);

const byIdOrNpiQuery = (k: Queries, orgId: string, idOrNpi: string) =>
  k
    .selectFrom('providers')
    .selectAll()
    .where('org_id', '=', orgId)
    .where((eb) => eb.or([eb('id', '=', idOrNpi), eb.and([eb('npi', '=', idOrNpi), eb('merged_into', 'is', null)])]));

const byIdQuery = (k: Queries, id: string) => k.selectFrom('providers').selectAll().where('id', '=', id);

/** SQLite's NOCASE order (ASCII letters folded), then id: the same order from either database. */
function byName(rows: ProviderRow[]): ProviderRow[] {
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => cmp(fold(a.name), fold(b.name)) || cmp(a.id, b.id));
}

/** The organisation's providers not merged into another, by name; on either database. */
export async function activeProviders(db: AnyDb, orgId: string): Promise<ProviderRow[]> {
  return byName(await activeQuery(queryLayer(db), orgId).execute());
}

/** activeProviders inside the caller's write (the reconciler's, the coordinator's decisions). */
export function* activeProvidersInWrite(orgId: string): Unit<ProviderRow[]> {
  return byName(yield* rows((q) => activeQuery(q, orgId)));
}

/** A provider of this organisation by id (a merged one resolves to the provider it was merged into), or by NPI. */
export async function findProvider(db: AnyDb, orgId: string, idOrNpi: string): Promise<ProviderRow | null> {
  const k = queryLayer(db);
  let row = await byIdOrNpiQuery(k, orgId, idOrNpi).executeTakeFirst();
  for (let hops = 0; row?.merged_into && hops < 20; hops++)
    row = await byIdQuery(k, row.merged_into).executeTakeFirst();
  return row ?? null;
}

/** findProvider inside the caller's write (a coordinator's decision, audited with it). */
export function* findProviderInWrite(orgId: string, idOrNpi: string): Unit<ProviderRow | null> {
  let row = yield* first((q) => byIdOrNpiQuery(q, orgId, idOrNpi));
  for (let hops = 0; row?.merged_into && hops < 20; hops++) {
    const next = row.merged_into;
    row = yield* first((q) => byIdQuery(q, next));
  }
  return row ?? null;
}

/**
 * The matcher's view: names, NPI and identifiers from the roster and from confidently matched
 * documents. Read inside the write that records the reconciler's matches.
 */
export function* loadProviderIndex(orgId: string): Unit<IndexedProvider[]> {
  const index = new Map<string, IndexedProvider>();
  for (const p of yield* activeProvidersInWrite(orgId)) {
    const name = parsePersonName(p.name);
    index.set(p.id, { id: p.id, npi: p.npi, names: name ? [name] : [], deas: new Set(), credentials: new Set() });
  }
  const ids = yield* rows((q) =>
    q.selectFrom('provider_identifiers').select(['provider_id', 'kind', 'state', 'value']).where('org_id', '=', orgId),
  );
  for (const i of ids) {
    const p = index.get(i.provider_id);
    if (!p) continue;
    if (i.kind === 'dea') p.deas.add(i.value);
    else p.credentials.add(credentialKey({ kind: i.kind, state: i.state, number: i.value }));
  }
  const seen = yield* rows((q) =>
    q
      .selectFrom('provider_matches')
      .select(['provider_id', 'doc_name', 'doc_dea', 'doc_id_kind', 'doc_id_state', 'doc_id_number'])
      .where('org_id', '=', orgId)
      .where('provider_id', 'is not', null)
      .where('needs_confirmation', '=', 0),
  );
  for (const m of seen) {
    const p = index.get(m.provider_id!);
    if (!p) continue;
    addAlias(p, parsePersonName(m.doc_name));
    if (m.doc_dea) p.deas.add(m.doc_dea);
    if (m.doc_id_kind && m.doc_id_number)
      p.credentials.add(credentialKey({ kind: m.doc_id_kind, state: m.doc_id_state ?? '', number: m.doc_id_number }));
  }
  return [...index.values()];
}

export function addAlias(p: IndexedProvider, name: PersonName | null): void {
  if (!name) return;
  const key = name.tokens.join(' ');
  if (!p.names.some((n) => n.tokens.join(' ') === key)) p.names.push(name);
}

export function* insertProvider(
  orgId: string,
  p: { name: string; npi: string | null; origin: ProviderRow['origin'] },
): Unit<ProviderRow> {
  const at = nowIso();
  const row: ProviderRow = {
    id: crypto.randomUUID(),
    org_id: orgId,
    name: p.name,
    npi: p.npi,
    origin: p.origin,
    merged_into: null,
    created_at: at,
    updated_at: at,
  };
  yield* affected((q) => q.insertInto('providers').values(row));
  return row;
}

/** The active provider holding this NPI in the organisation, or null. */
export function* activeByNpi(orgId: string, npi: string): Unit<ProviderRow | null> {
  const row = yield* first((q) =>
    q
      .selectFrom('providers')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('npi', '=', npi)
      .where('merged_into', 'is', null),
  );
  return row ?? null;
}

export function* renameProvider(providerId: string, name: string): Unit<void> {
  yield* affected((q) => q.updateTable('providers').set({ name, updated_at: nowIso() }).where('id', '=', providerId));
}

/**
 * Folds provider `from` into `into`: identifiers and CME overrides move (those `into` already has
 * are kept as they are), `from` stays as a pointer to `into`, and its NPI moves when `into` has none.
 * Each moves as a copy that skips what `into` holds (ON CONFLICT DO NOTHING), then the rows of
 * `from` go: the one text for SQLite's UPDATE OR IGNORE, which PostgreSQL lacks.
 */
export function* mergeProviderRows(into: ProviderRow, from: ProviderRow): Unit<void> {
  const at = nowIso();
  yield* affected((q) =>
    q
      .insertInto('provider_identifiers')
      .columns(['provider_id', 'org_id', 'kind', 'state', 'value', 'origin'])
      .expression(
        q
          .selectFrom('provider_identifiers')
          .select((eb) => [eb.val(into.id).as('provider_id'), 'org_id', 'kind', 'state', 'value', 'origin'])
          .where('provider_id', '=', from.id),
      )
      .onConflict((oc) => oc.doNothing()),
  );
  yield* affected((q) => q.deleteFrom('provider_identifiers').where('provider_id', '=', from.id));
  yield* affected((q) =>
    q
      .insertInto('cme_topic_overrides')
      .columns(['org_id', 'provider_id', 'activity_key', 'topics_json', 'set_by', 'set_at'])
      .expression(
        q
          .selectFrom('cme_topic_overrides')
          .select((eb) => [
            'org_id',
            eb.val(into.id).as('provider_id'),
            'activity_key',
            'topics_json',
            'set_by',
            'set_at',
          ])
          .where('provider_id', '=', from.id),
      )
      .onConflict((oc) => oc.doNothing()),
  );
  yield* affected((q) => q.deleteFrom('cme_topic_overrides').where('provider_id', '=', from.id));
  // The NPI moves after the merged row lets go of it (one active provider per NPI).
  yield* affected((q) =>
    q.updateTable('providers').set({ merged_into: into.id, npi: null, updated_at: at }).where('id', '=', from.id),
  );
  if (!into.npi && from.npi) {
    const npi = from.npi;
    yield* affected((q) => q.updateTable('providers').set({ npi, updated_at: at }).where('id', '=', into.id));
  }
}

/** A coordinator's topics for one CME activity of a provider, replacing those read from its title. */
export function* setTopicOverride(o: {
  orgId: string;
  providerId: string;
  activityKey: string;
  topics: readonly string[];
  setBy: string;
}): Unit<void> {
  const values = { topics_json: JSON.stringify(o.topics), set_by: o.setBy, set_at: nowIso() };
  yield* affected((q) =>
    q
      .insertInto('cme_topic_overrides')
      .values({ org_id: o.orgId, provider_id: o.providerId, activity_key: o.activityKey, ...values })
      .onConflict((oc) => oc.columns(['provider_id', 'activity_key']).doUpdateSet(values)),
  );
}

/** Removes a coordinator's topics for one activity: its title is read for topics again. */
export function* clearTopicOverride(o: { providerId: string; activityKey: string }): Unit<void> {
  yield* affected((q) =>
    q
      .deleteFrom('cme_topic_overrides')
      .where('provider_id', '=', o.providerId)
      .where('activity_key', '=', o.activityKey),
  );
}

/** Records an NPI learnt from a document for a provider that has none (unless another provider holds it). */
export function* adoptNpi(orgId: string, providerId: string, npi: string): Unit<boolean> {
  if (yield* activeByNpi(orgId, npi)) return false;
  const changed = yield* affected((q) =>
    q.updateTable('providers').set({ npi, updated_at: nowIso() }).where('id', '=', providerId).where('npi', 'is', null),
  );
  return changed > 0;
}

/** An identifier of a provider; one it already has is left as it is. */
export function* addIdentifier(
  orgId: string,
  providerId: string,
  id: { kind: 'dea' | 'license' | 'csr'; state: string; value: string; origin: string },
): Unit<void> {
  yield* affected((q) =>
    q
      .insertInto('provider_identifiers')
      .values({ provider_id: providerId, org_id: orgId, ...id })
      .onConflict((oc) => oc.doNothing()),
  );
}
