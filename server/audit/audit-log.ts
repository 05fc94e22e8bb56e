/**
 * Append-only audit events with a hash chain per organisation: each row's hash covers its own
 * fields and the previous row's hash, and audit_heads keeps the newest (id, hash), so verification
 * detects a changed row, a deleted row in the middle, and a deleted tail.
 * Callers append inside the same transaction as the change they record.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/open';

const GENESIS = '0'.repeat(64);

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
}

function rowHash(r: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([r.id, r.org_id, r.at, r.actor, r.action, r.document_id, r.details_json, r.prev_hash]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

export function appendAudit(db: Db, e: AuditInput): number {
  const head = db.prepare('SELECT last_id, last_hash FROM audit_heads WHERE org_id = ?').get(e.orgId) as { last_id: number; last_hash: string } | undefined;
  const prevHash = head?.last_hash ?? GENESIS;
  const at = new Date().toISOString();
  const detailsJson = JSON.stringify(e.details ?? {});
  const documentId = e.documentId ?? null;
  const id = Number(
    db.prepare("INSERT INTO audit_events (org_id, at, actor, action, document_id, details_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, '')")
      .run(e.orgId, at, e.actor, e.action, documentId, detailsJson, prevHash).lastInsertRowid,
  );
  const hash = rowHash({ id, org_id: e.orgId, at, actor: e.actor, action: e.action, document_id: documentId, details_json: detailsJson, prev_hash: prevHash });
  db.prepare('UPDATE audit_events SET hash = ? WHERE id = ?').run(hash, id);
  db.prepare('INSERT INTO audit_heads (org_id, last_id, last_hash) VALUES (?, ?, ?) ON CONFLICT(org_id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash').run(e.orgId, id, hash);
  return id;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBadId: number | null;
}

export function verifyAuditChain(db: Db, orgId: string): AuditVerification {
  let prev = GENESIS;
  let checked = 0;
  let lastId: number | null = null;
  for (const row of db.prepare('SELECT * FROM audit_events WHERE org_id = ? ORDER BY id').iterate(orgId) as IterableIterator<AuditRow>) {
    checked++;
    if (row.prev_hash !== prev || rowHash(row) !== row.hash) return { ok: false, checked, firstBadId: row.id };
    prev = row.hash;
    lastId = row.id;
  }
  const head = db.prepare('SELECT last_id, last_hash FROM audit_heads WHERE org_id = ?').get(orgId) as { last_id: number; last_hash: string } | undefined;
  const headMatches = head ? head.last_id === lastId && head.last_hash === prev : lastId === null;
  // A removed tail leaves the head pointing past the last row: report the head's id as the bad one.
  if (!headMatches) return { ok: false, checked, firstBadId: head?.last_id ?? lastId };
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

export function listAudit(db: Db, orgId: string, opts: { documentId?: string; limit: number; beforeId?: number }): AuditEventView[] {
  const rows = db
    .prepare(
      `SELECT * FROM audit_events WHERE org_id = ? AND (? IS NULL OR document_id = ?) AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?`,
    )
    .all(orgId, opts.documentId ?? null, opts.documentId ?? null, opts.beforeId ?? null, opts.beforeId ?? null, opts.limit) as AuditRow[];
  return rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, documentId: r.document_id, details: JSON.parse(r.details_json) as Record<string, unknown> }));
}
