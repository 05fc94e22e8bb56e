/**
 * The providers, provider_identifiers and cme_topic_overrides tables' one writer: rows read into
 * the matcher's index, created from documents, the roster or a split, renamed, merged, and the
 * coordinator's CME topic overrides. (provider_matches: match-store.ts; expiry_notices: expiry-notices.ts.)
 *
 * Reads outside a write run on either database (async, the typed query layer). Writes, and reads
 * made inside a write, stay on the better-sqlite3 handle: every write commits in one group-commit
 * transaction with the audit chain or the change feed (match-store.ts), both still on the handle.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { queryLayer, type AnyDb } from '../db/kysely';
import { allOnHandle, firstOnHandle, handleQueries } from '../db/on-handle';
import { nowIso, type Db } from '../db/open';
import type { DatabaseSchema } from '../db/schema';
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

/** activeProviders on the handle, inside the caller's write (the reconciler's). */
export function activeProvidersOnHandle(db: Db, orgId: string): ProviderRow[] {
  return byName(allOnHandle(db, activeQuery(handleQueries, orgId)));
}

/** A provider of this organisation by id (a merged one resolves to the provider it was merged into), or by NPI. */
export async function findProvider(db: AnyDb, orgId: string, idOrNpi: string): Promise<ProviderRow | null> {
  const k = queryLayer(db);
  let row = await byIdOrNpiQuery(k, orgId, idOrNpi).executeTakeFirst();
  for (let hops = 0; row?.merged_into && hops < 20; hops++)
    row = await byIdQuery(k, row.merged_into).executeTakeFirst();
  return row ?? null;
}

/** findProvider on the handle, inside the caller's write (a coordinator's decision, audited with it). */
export function findProviderOnHandle(db: Db, orgId: string, idOrNpi: string): ProviderRow | null {
  let row = firstOnHandle(db, byIdOrNpiQuery(handleQueries, orgId, idOrNpi));
  for (let hops = 0; row?.merged_into && hops < 20; hops++)
    row = firstOnHandle(db, byIdQuery(handleQueries, row.merged_into));
  return row ?? null;
}

/**
 * The matcher's view: names, NPI and identifiers from the roster and from confidently matched
 * documents. On the handle: the reconciler reads it inside the write that records its matches.
 */
export function loadProviderIndex(db: Db, orgId: string): IndexedProvider[] {
  const index = new Map<string, IndexedProvider>();
  for (const p of activeProvidersOnHandle(db, orgId)) {
    const name = parsePersonName(p.name);
    index.set(p.id, { id: p.id, npi: p.npi, names: name ? [name] : [], deas: new Set(), credentials: new Set() });
  }
  const ids = allOnHandle(
    db,
    handleQueries
      .selectFrom('provider_identifiers')
      .select(['provider_id', 'kind', 'state', 'value'])
      .where('org_id', '=', orgId),
  );
  for (const i of ids) {
    const p = index.get(i.provider_id);
    if (!p) continue;
    if (i.kind === 'dea') p.deas.add(i.value);
    else p.credentials.add(credentialKey({ kind: i.kind, state: i.state, number: i.value }));
  }
  const seen = allOnHandle(
    db,
    handleQueries
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

export function insertProvider(
  db: Db,
  orgId: string,
  p: { name: string; npi: string | null; origin: ProviderRow['origin'] },
): ProviderRow {
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
  db.prepare(
    `INSERT INTO providers (id, org_id, name, npi, origin, merged_into, created_at, updated_at)
     VALUES (@id, @org_id, @name, @npi, @origin, @merged_into, @created_at, @updated_at)`,
  ).run(row);
  return row;
}

/** The active provider holding this NPI in the organisation, or null. */
export function activeByNpi(db: Db, orgId: string, npi: string): ProviderRow | null {
  const row = firstOnHandle(
    db,
    handleQueries
      .selectFrom('providers')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('npi', '=', npi)
      .where('merged_into', 'is', null),
  );
  return row ?? null;
}

export function renameProvider(db: Db, providerId: string, name: string): void {
  db.prepare('UPDATE providers SET name = ?, updated_at = ? WHERE id = ?').run(name, nowIso(), providerId);
}

/**
 * Folds provider `from` into `into`: identifiers and CME overrides move (those `into` already has
 * are kept as they are), `from` stays as a pointer to `into`, and its NPI moves when `into` has none.
 */
export function mergeProviderRows(db: Db, into: ProviderRow, from: ProviderRow): void {
  const at = nowIso();
  db.prepare('UPDATE OR IGNORE provider_identifiers SET provider_id = ? WHERE provider_id = ?').run(into.id, from.id);
  db.prepare('DELETE FROM provider_identifiers WHERE provider_id = ?').run(from.id);
  db.prepare('UPDATE OR IGNORE cme_topic_overrides SET provider_id = ? WHERE provider_id = ?').run(into.id, from.id);
  db.prepare('DELETE FROM cme_topic_overrides WHERE provider_id = ?').run(from.id);
  // The NPI moves before the merged row lets go of it (one active provider per NPI).
  db.prepare('UPDATE providers SET merged_into = ?, npi = NULL, updated_at = ? WHERE id = ?').run(into.id, at, from.id);
  if (!into.npi && from.npi)
    db.prepare('UPDATE providers SET npi = ?, updated_at = ? WHERE id = ?').run(from.npi, at, into.id);
}

/** A coordinator's topics for one CME activity of a provider, replacing those read from its title. */
export function setTopicOverride(
  db: Db,
  o: { orgId: string; providerId: string; activityKey: string; topics: readonly string[]; setBy: string },
): void {
  db.prepare(
    `INSERT INTO cme_topic_overrides (org_id, provider_id, activity_key, topics_json, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(provider_id, activity_key) DO UPDATE SET topics_json = excluded.topics_json, set_by = excluded.set_by, set_at = excluded.set_at`,
  ).run(o.orgId, o.providerId, o.activityKey, JSON.stringify(o.topics), o.setBy, nowIso());
}

/** Removes a coordinator's topics for one activity: its title is read for topics again. */
export function clearTopicOverride(db: Db, o: { providerId: string; activityKey: string }): void {
  db.prepare('DELETE FROM cme_topic_overrides WHERE provider_id = ? AND activity_key = ?').run(
    o.providerId,
    o.activityKey,
  );
}

/** Records an NPI learnt from a document for a provider that has none (unless another provider holds it). */
export function adoptNpi(db: Db, orgId: string, providerId: string, npi: string): boolean {
  if (activeByNpi(db, orgId, npi)) return false;
  const res = db
    .prepare('UPDATE providers SET npi = ?, updated_at = ? WHERE id = ? AND npi IS NULL')
    .run(npi, nowIso(), providerId);
  return res.changes > 0;
}

export function addIdentifier(
  db: Db,
  orgId: string,
  providerId: string,
  id: { kind: 'dea' | 'license' | 'csr'; state: string; value: string; origin: string },
): void {
  db.prepare(
    `INSERT OR IGNORE INTO provider_identifiers (provider_id, org_id, kind, state, value, origin) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(providerId, orgId, id.kind, id.state, id.value, id.origin);
}
