/**
 * What an attacker holding the server's database (not the audit key) can do to the audit chain,
 * through openServerRows on either database, and the checks the audit tests make after it.
 */
import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import { expect } from 'vitest';
import type { AuditEventsTable } from '../../server/db/schema';
import type { ServerRows } from '../helpers/server-rows';
import type { TestServer } from '../helpers/test-server';

export interface Verification {
  ok: boolean;
  checked: number;
  firstBadId: number | null;
  reason?: string;
}

/** The columns the plain (version 1) chain hashes, as the schema types them. */
export type AuditRow = Pick<
  Selectable<AuditEventsTable>,
  'id' | 'org_id' | 'at' | 'actor' | 'action' | 'document_id' | 'details_json'
>;

/** The chain as it was before the key (version 1): what anyone with the database can compute. */
export function plainHash(r: AuditRow, prev: string): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([r.id, r.org_id, r.at, r.actor, r.action, r.document_id, r.details_json, prev]))
    .digest('hex');
}

/** The probe's rewrite: every row of the organisation re-hashed as a plain chain, and its head set to the last row. */
export async function rehashPlain(rows: ServerRows, orgId: string): Promise<void> {
  let prev = '0'.repeat(64);
  let last = 0;
  for (const r of await rows.all<AuditRow>('SELECT * FROM audit_events WHERE org_id = ? ORDER BY id', orgId)) {
    const hash = plainHash(r, prev);
    await rows.run('UPDATE audit_events SET prev_hash = ?, hash = ?, chain_version = 1 WHERE id = ?', prev, hash, r.id);
    prev = hash;
    last = r.id;
  }
  await rows.run('UPDATE audit_heads SET last_id = ?, last_hash = ? WHERE org_id = ?', last, prev, orgId);
}

/**
 * Whoever holds the database can drop the append-only triggers first (the same two triggers by name
 * on both; PostgreSQL's DROP TRIGGER names the table too).
 */
export async function dropGuards(rows: ServerRows, database: TestServer['database']): Promise<void> {
  for (const trigger of ['audit_events_no_update', 'audit_events_no_delete'])
    await rows.run(`DROP TRIGGER IF EXISTS ${trigger}${database === 'postgres' ? ' ON audit_events' : ''}`);
}

export async function someEvents(srv: TestServer, token: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) expect((await srv.api(token, 'POST', '/batches', { name: `b${i}` })).status).toBe(201);
}

export const verify = async (srv: TestServer, token: string) =>
  (await srv.api<Verification>(token, 'GET', '/audit/verify')).body;
