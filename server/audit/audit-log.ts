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
import { sql } from 'kysely';
import { affected, context, dialect, first, lockUntilCommit, prepared, rows, type Unit } from '../db/units';
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

/**
 * The id the next row will get, chosen before the insert because the HMAC covers it (the table
 * refuses the UPDATE that used to fill the hash in). Both counters never go back: SQLite's
 * AUTOINCREMENT sequence, PostgreSQL's identity sequence (whose gaps the chain does not mind).
 */
function* nextAuditId(): Unit<number> {
  if ((yield* dialect()) === 'postgres') {
    const row = yield* first((q) =>
      q.selectNoFrom(sql<string>`nextval(pg_get_serial_sequence('audit_events', 'id'))`.as('id')),
    );
    return Number(row!.id);
  }
  return (yield* first(nextSqliteAuditId.with({})))!.id;
}

// Every document read and upload appends an event: its statements are prepared (units.ts).
const nextSqliteAuditId = prepared((q) =>
  q.selectNoFrom(
    sql<number>`MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0), COALESCE((SELECT MAX(id) FROM audit_events), 0)) + 1`.as(
      'id',
    ),
  ),
);
const headOf = prepared((q, p: { orgId: string }) =>
  q.selectFrom('audit_heads').select(['last_id', 'last_hash']).where('org_id', '=', p.orgId),
);
const newEvent = prepared((q, p: HashedFields & { hash: string }) =>
  q.insertInto('audit_events').values({
    id: p.id,
    org_id: p.org_id,
    at: p.at,
    actor: p.actor,
    action: p.action,
    document_id: p.document_id,
    details_json: p.details_json,
    prev_hash: p.prev_hash,
    hash: p.hash,
    chain_version: p.chain_version,
  }),
);
const newHead = prepared((q, p: { orgId: string; lastId: number; hash: string }) =>
  q
    .insertInto('audit_heads')
    .values({ org_id: p.orgId, last_id: p.lastId, last_hash: p.hash })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ last_id: p.lastId, last_hash: p.hash })),
);

/** The newest (id, hash) of an organisation's chain, or undefined before its first event. */
export function* auditHead(orgId: string): Unit<{ last_id: number; last_hash: string } | undefined> {
  return yield* first(headOf.with({ orgId }));
}

/**
 * Appends an event to its organisation's chain, inside the caller's transaction. Appenders of one
 * organisation take turns until commit (the chain has one writer at a time, across processes).
 */
export function* appendAudit(e: AuditInput): Unit<number> {
  const chain = (yield* context()).auditChain;
  if (!chain)
    throw new Error(
      "No audit key is attached to this process's database (the server's start sets it as the units' context); the event was not written.",
    );
  yield* lockUntilCommit(`audit:${e.orgId}`);
  const head = yield* auditHead(e.orgId);
  const fields: HashedFields = {
    id: yield* nextAuditId(),
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
  yield* affected(newEvent.with({ ...fields, hash }));
  yield* affected(newHead.with({ orgId: e.orgId, lastId: fields.id, hash }));
  chain.onAppend(e.orgId);
  return fields.id;
}

/** Every organisation with an audit chain. */
export function* orgsWithAuditHead(): Unit<string[]> {
  return (yield* rows((q) => q.selectFrom('audit_heads').select('org_id'))).map((r) => r.org_id);
}

/** Organisations whose chain still ends with an unkeyed (version 1) row: each needs a keyed checkpoint. */
export function* orgsWithUnkeyedHead(): Unit<string[]> {
  const found = yield* rows((q) =>
    q
      .selectFrom('audit_heads as h')
      .innerJoin('audit_events as e', 'e.id', 'h.last_id')
      .select('h.org_id')
      .where('e.chain_version', '<', KEYED_CHAIN_VERSION),
  );
  return found.map((r) => r.org_id);
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBadId: number | null;
  /** What is wrong, for the admin reading the answer; absent when ok. */
  reason?: string;
}

const VERIFY_PAGE = 5000;

/** An organisation's events in chain order, read a page at a time. */
function* chainRows(orgId: string): Unit<AuditRow[]> {
  const all: AuditRow[] = [];
  for (;;) {
    const after = all.length ? all[all.length - 1]!.id : 0;
    const page = yield* rows((q) =>
      q
        .selectFrom('audit_events')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(VERIFY_PAGE),
    );
    all.push(...page);
    if (page.length < VERIFY_PAGE) return all;
  }
}

/** Checks one organisation's chain against the key and the head the object store holds (null: none stored). */
export function* verifyAuditChain(orgId: string, key: Buffer, stored: StoredHead | null): Unit<AuditVerification> {
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
  for (const row of yield* chainRows(orgId)) {
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
  const head = yield* auditHead(orgId);
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

export function* listAudit(
  orgId: string,
  opts: { documentId?: string; limit: number; beforeId?: number },
): Unit<AuditEventView[]> {
  const found = yield* rows((q) => {
    let query = q.selectFrom('audit_events').selectAll().where('org_id', '=', orgId);
    if (opts.documentId !== undefined) query = query.where('document_id', '=', opts.documentId);
    if (opts.beforeId !== undefined) query = query.where('id', '<', opts.beforeId);
    return query.orderBy('id', 'desc').limit(opts.limit);
  });
  return found.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    documentId: r.document_id,
    details: JSON.parse(r.details_json) as Record<string, unknown>,
  }));
}
