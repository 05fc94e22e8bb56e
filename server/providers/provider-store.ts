/**
 * The providers, provider_identifiers and cme_topic_overrides tables' one writer: rows read into
 * the matcher's index, created from documents, the roster or a split, renamed, merged, and the
 * coordinator's CME topic overrides. (provider_matches: match-store.ts; expiry_notices: expiry-notices.ts.)
 */
import crypto from 'node:crypto';
import { nowIso, type Db } from '../db/open';
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

export function activeProviders(db: Db, orgId: string): ProviderRow[] {
  return db
    .prepare('SELECT * FROM providers WHERE org_id = ? AND merged_into IS NULL ORDER BY name COLLATE NOCASE, id')
    .all(orgId) as ProviderRow[];
}

/** A provider of this organisation by id (a merged one resolves to the provider it was merged into), or by NPI. */
export function findProvider(db: Db, orgId: string, idOrNpi: string): ProviderRow | null {
  let row = db
    .prepare('SELECT * FROM providers WHERE org_id = ? AND (id = ? OR (npi = ? AND merged_into IS NULL))')
    .get(orgId, idOrNpi, idOrNpi) as ProviderRow | undefined;
  for (let hops = 0; row?.merged_into && hops < 20; hops++)
    row = db.prepare('SELECT * FROM providers WHERE id = ?').get(row.merged_into) as ProviderRow | undefined;
  return row ?? null;
}

/** The matcher's view: names, NPI and identifiers from the roster and from confidently matched documents. */
export function loadProviderIndex(db: Db, orgId: string): IndexedProvider[] {
  const index = new Map<string, IndexedProvider>();
  for (const p of activeProviders(db, orgId)) {
    const name = parsePersonName(p.name);
    index.set(p.id, { id: p.id, npi: p.npi, names: name ? [name] : [], deas: new Set(), credentials: new Set() });
  }
  const ids = db
    .prepare('SELECT provider_id, kind, state, value FROM provider_identifiers WHERE org_id = ?')
    .all(orgId) as Array<{ provider_id: string; kind: 'dea' | 'license' | 'csr'; state: string; value: string }>;
  for (const i of ids) {
    const p = index.get(i.provider_id);
    if (!p) continue;
    if (i.kind === 'dea') p.deas.add(i.value);
    else p.credentials.add(credentialKey({ kind: i.kind, state: i.state, number: i.value }));
  }
  const seen = db
    .prepare(
      `SELECT provider_id, doc_name, doc_dea, doc_id_kind, doc_id_state, doc_id_number FROM provider_matches
       WHERE org_id = ? AND provider_id IS NOT NULL AND needs_confirmation = 0`,
    )
    .all(orgId) as Array<{
    provider_id: string;
    doc_name: string | null;
    doc_dea: string | null;
    doc_id_kind: string | null;
    doc_id_state: string | null;
    doc_id_number: string | null;
  }>;
  for (const m of seen) {
    const p = index.get(m.provider_id);
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
  const row = db
    .prepare('SELECT * FROM providers WHERE org_id = ? AND npi = ? AND merged_into IS NULL')
    .get(orgId, npi) as ProviderRow | undefined;
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
