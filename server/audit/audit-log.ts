/**
 * Append-only audit events with a chain per organisation: each row's hash covers its own fields
 * and the previous row's hash, and audit_heads keeps the newest (id, hash), so verification
 * detects a changed row, a deleted row in the middle, and a deleted tail.
 *
 * Rows are chain version 2: the hash is an HMAC-SHA256 under a key kept outside the database
 * (audit-key.ts), so a database file alone is not enough to recompute the chain after changing
 * it. Rows written before the key existed are version 1 (plain SHA-256) and still verify; they
 * may only come before the organisation's first keyed row, whose HMAC covers the last of them,
 * so the unkeyed prefix cannot be rewritten either once a keyed row follows it (start.ts appends
 * an `audit.chain_keyed` checkpoint for every organisation whose chain still ends unkeyed).
 * Each organisation's head is also written to the object store (audit-head-store.ts): a tail cut
 * off together with a rewritten audit_heads row is still found.
 * Callers append inside the same transaction as the change they record.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/open';
import type { StoredHead } from './audit-head-store';

const GENESIS = '0'.repeat(64);
export const KEYED_CHAIN_VERSION = 2;

export interface AuditInput {
  orgId: string;
  actor: string | null;
  action: string;
  documentId?: string | null;
  details?: Record<string, unknown>;
}

interface AuditRow {
  id: number;
  org_id: string;
  at: string;
  actor: string | null;
  action: string;
  document_id: string | null;
  details_json: string;
  prev_hash: string;
  hash: string;
  chain_version: number;
}

type HashedFields = Omit<AuditRow, 'hash'>;

function canonical(r: HashedFields): string {
  return JSON.stringify([r.id, r.org_id, r.at, r.actor, r.action, r.document_id, r.details_json, r.prev_hash]);
}

/** Version 1, before the key: kept only to verify the rows it wrote. */
function plainHash(r: HashedFields): string {
  return crypto.createHash('sha256').update(canonical(r)).digest('hex');
}

/** The version is inside the MAC, so a keyed row cannot be passed off as an unkeyed one. */
function keyedHash(key: Buffer, r: HashedFields): string {
  return crypto
    .createHmac('sha256', key)
    .update(`${r.chain_version}:${canonical(r)}`)
    .digest('hex');
}

interface AttachedChain {
  key: Buffer;
  /** Told after each append (inside the caller's transaction): the head publisher reads the committed head later. */
  onAppend(orgId: string): void;
}

/**
 * The key travels with the connection rather than through every caller: eight write paths append
 * events inside their own transactions, and none of them should be able to forget it.
 */
const chains = new WeakMap<Db, AttachedChain>();

export function attachAuditChain(db: Db, chain: AttachedChain): void {
  chains.set(db, chain);
}

/**
 * The id the next row will get, chosen before the insert because the HMAC covers it (the table
 * refuses the UPDATE that used to fill the hash in). AUTOINCREMENT's counter never goes back.
 */
function nextAuditId(db: Db): number {
  const row = db
    .prepare(
      "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0), COALESCE((SELECT MAX(id) FROM audit_events), 0)) + 1 AS id",
    )
    .get() as { id: number };
  return row.id;
}

export function appendAudit(db: Db, e: AuditInput): number {
  const chain = chains.get(db);
  if (!chain)
    throw new Error(
      'No audit key is attached to this database connection (attachAuditChain at start-up); the event was not written.',
    );
  const head = db.prepare('SELECT last_id, last_hash FROM audit_heads WHERE org_id = ?').get(e.orgId) as
    { last_id: number; last_hash: string } | undefined;
  const fields: HashedFields = {
    id: nextAuditId(db),
    org_id: e.orgId,
    at: new Date().toISOString(),
    actor: e.actor,
    action: e.action,
    document_id: e.documentId ?? null,
    details_json: JSON.stringify(e.details ?? {}),
    prev_hash: head?.last_hash ?? GENESIS,
    chain_version: KEYED_CHAIN_VERSION,
  };
  const hash = keyedHash(chain.key, fields);
  db.prepare(
    'INSERT INTO audit_events (id, org_id, at, actor, action, document_id, details_json, prev_hash, hash, chain_version) VALUES (@id, @org_id, @at, @actor, @action, @document_id, @details_json, @prev_hash, @hash, @chain_version)',
  ).run({ ...fields, hash });
  db.prepare(
    'INSERT INTO audit_heads (org_id, last_id, last_hash) VALUES (?, ?, ?) ON CONFLICT(org_id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash',
  ).run(e.orgId, fields.id, hash);
  chain.onAppend(e.orgId);
  return fields.id;
}

/** Organisations whose chain still ends with an unkeyed (version 1) row: each needs a keyed checkpoint. */
export function orgsWithUnkeyedHead(db: Db): string[] {
  const rows = db
    .prepare('SELECT h.org_id FROM audit_heads h JOIN audit_events e ON e.id = h.last_id WHERE e.chain_version < ?')
    .all(KEYED_CHAIN_VERSION) as Array<{ org_id: string }>;
  return rows.map((r) => r.org_id);
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBadId: number | null;
  /** What is wrong, for the admin reading the answer; absent when ok. */
  reason?: string;
}

/** Checks one organisation's chain against the key and the head the object store holds (null: none stored). */
export function verifyAuditChain(db: Db, orgId: string, key: Buffer, stored: StoredHead | null): AuditVerification {
  let prev = GENESIS;
  let checked = 0;
  let lastId: number | null = null;
  let keyedSeen = false;
  let storedSeen = false;
  const bad = (id: number | null, reason: string): AuditVerification => ({
    ok: false,
    checked,
    firstBadId: id,
    reason,
  });
  for (const row of db
    .prepare('SELECT * FROM audit_events WHERE org_id = ? ORDER BY id')
    .iterate(orgId) as IterableIterator<AuditRow>) {
    checked++;
    if (row.prev_hash !== prev)
      return bad(
        row.id,
        `Event ${row.id} does not follow the event before it: an event before it was removed or changed.`,
      );
    if (row.chain_version === KEYED_CHAIN_VERSION) {
      if (keyedHash(key, row) !== row.hash)
        return bad(
          row.id,
          `Event ${row.id} does not match its HMAC: it was changed, or the server runs with another audit key than the one that wrote it.`,
        );
      keyedSeen = true;
    } else if (row.chain_version === 1) {
      if (keyedSeen)
        return bad(row.id, `Event ${row.id} is in the unkeyed format after keyed events: it was rewritten.`);
      if (plainHash(row) !== row.hash) return bad(row.id, `Event ${row.id} does not match its hash: it was changed.`);
    } else {
      return bad(row.id, `Event ${row.id} has an unknown chain version ${row.chain_version}.`);
    }
    if (stored && row.id === stored.lastId) {
      if (row.hash !== stored.hash)
        return bad(row.id, `Event ${row.id} differs from the chain head kept in the object store: it was rewritten.`);
      storedSeen = true;
    }
    prev = row.hash;
    lastId = row.id;
  }
  const head = db.prepare('SELECT last_id, last_hash FROM audit_heads WHERE org_id = ?').get(orgId) as
    { last_id: number; last_hash: string } | undefined;
  const headMatches = head ? head.last_id === lastId && head.last_hash === prev : lastId === null;
  // A removed tail leaves the head pointing past the last row: report the head's id as the bad one.
  if (!headMatches)
    return bad(
      head?.last_id ?? lastId,
      `The database's chain head (event ${head?.last_id ?? 'none'}) is not its last event (${lastId ?? 'none'}): events at the end were removed.`,
    );
  if (stored && !storedSeen) {
    return bad(
      stored.lastId,
      `The object store's chain head is event ${stored.lastId}, which the database no longer holds: events were removed.`,
    );
  }
  if (!stored && keyedSeen) {
    return bad(
      lastId,
      'The object store holds no chain head for this organisation although keyed events exist: it was deleted from the store, or never written (see the server log for audit.head_publish_failed).',
    );
  }
  return { ok: true, checked, firstBadId: null };
}

export interface AuditEventView {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  documentId: string | null;
  details: Record<string, unknown>;
}

export function listAudit(
  db: Db,
  orgId: string,
  opts: { documentId?: string; limit: number; beforeId?: number },
): AuditEventView[] {
  const rows = db
    .prepare(
      `SELECT * FROM audit_events WHERE org_id = ? AND (? IS NULL OR document_id = ?) AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?`,
    )
    .all(
      orgId,
      opts.documentId ?? null,
      opts.documentId ?? null,
      opts.beforeId ?? null,
      opts.beforeId ?? null,
      opts.limit,
    ) as AuditRow[];
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    documentId: r.document_id,
    details: JSON.parse(r.details_json) as Record<string, unknown>,
  }));
}
