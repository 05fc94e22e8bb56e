import crypto from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Role } from '../../common/api';
import { queryLayer, type AnyDb } from '../db/kysely';
import type { Db } from '../db/open';

export interface SessionPrincipal {
  userId: string;
  email: string;
  role: Role;
  orgId: string;
  orgName: string;
  tokenHash: string;
}

export interface SessionLifetimes {
  idleSeconds: number;
  absoluteSeconds: number;
}

/** Tokens are stored only as SHA-256: a leaked database does not hand out live sessions. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * Sessions live in the database, not in a process, so any API process sharing it (SQLite file or
 * PostgreSQL) accepts a token another one issued and honours a sign-out made through another one.
 */
export async function createSession(
  db: AnyDb,
  userId: string,
  life: SessionLifetimes,
  now = Date.now(),
): Promise<{ token: string; expiresAt: number }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = now + life.absoluteSeconds * 1000;
  await queryLayer(db)
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: now,
      last_used_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { token, expiresAt };
}

/**
 * The session a token names, or null when unknown, revoked, idle too long or past its absolute
 * lifetime. last_used_at is written at most every quarter idle period (capped at a minute), not
 * on every request, so polling clients do not turn each read into a write.
 */
export async function resolveSession(
  db: AnyDb,
  token: string,
  life: SessionLifetimes,
  now = Date.now(),
): Promise<SessionPrincipal | null> {
  const q = queryLayer(db);
  const row = db instanceof Kysely ? await sessionRowQuery(db, token) : sessionRowOf(db, token);
  if (!row || row.revoked_at !== null) return null;
  if (now >= row.expires_at || now - row.last_used_at >= life.idleSeconds * 1000) return null;
  const touchEveryMs = Math.min(60_000, (life.idleSeconds * 1000) / 4);
  if (now - row.last_used_at >= touchEveryMs) {
    // Never moves last_used_at backwards when another process touched it a moment later.
    await q
      .updateTable('sessions')
      .set({ last_used_at: now })
      .where('token_hash', '=', row.token_hash)
      .where('last_used_at', '<', now)
      .execute();
  }
  return {
    userId: row.user_id,
    email: row.email,
    role: row.role,
    orgId: row.org_id,
    orgName: row.org_name,
    tokenHash: row.token_hash,
  };
}

interface SessionRow {
  token_hash: string;
  last_used_at: number;
  expires_at: number;
  revoked_at: number | null;
  user_id: string;
  email: string;
  role: Role;
  org_id: string;
  org_name: string;
}

function sessionRowQuery(db: AnyDb, token: string): Promise<SessionRow | undefined> {
  return queryLayer(db)
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('organizations as o', 'o.id', 'u.org_id')
    .select(['s.token_hash', 's.last_used_at', 's.expires_at', 's.revoked_at'])
    .select(['u.id as user_id', 'u.email', 'u.role', 'u.org_id', 'o.name as org_name'])
    .where('s.token_hash', '=', hashToken(token))
    .executeTakeFirst();
}

/**
 * The same query, straight on the SQLite handle with its statement compiled once: every API
 * request checks its session, and building and compiling it through Kysely each time was a
 * visible part of the API's CPU per small file (issue 17). Still read on every request, not
 * cached: a sign-out or revocation through another process sharing the database applies at once.
 */
const sessionStatements = new WeakMap<Db, Statement>();
function sessionRowOf(db: Db, token: string): SessionRow | undefined {
  let stmt = sessionStatements.get(db);
  if (!stmt) {
    stmt = db.prepare(
      `SELECT s.token_hash, s.last_used_at, s.expires_at, s.revoked_at,
              u.id AS user_id, u.email, u.role, u.org_id, o.name AS org_name
         FROM sessions AS s
         JOIN users AS u ON u.id = s.user_id
         JOIN organizations AS o ON o.id = u.org_id
        WHERE s.token_hash = ?`,
    );
    sessionStatements.set(db, stmt);
  }
  return stmt.get(hashToken(token)) as SessionRow | undefined;
}

export async function revokeSession(db: AnyDb, tokenHash: string, now = Date.now()): Promise<void> {
  await queryLayer(db)
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Drops sessions that can never be valid again, so the table does not grow forever. */
export async function purgeDeadSessions(db: AnyDb, life: SessionLifetimes, now = Date.now()): Promise<number> {
  const result = await queryLayer(db)
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', now),
        eb('revoked_at', 'is not', null),
        eb('last_used_at', '<=', now - life.idleSeconds * 1000),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
