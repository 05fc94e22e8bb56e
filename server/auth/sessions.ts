import crypto from 'node:crypto';
import type { Role } from '../../common/api';
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

export function createSession(
  db: Db,
  userId: string,
  life: SessionLifetimes,
  now = Date.now(),
): { token: string; expiresAt: number } {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = now + life.absoluteSeconds * 1000;
  db.prepare(
    'INSERT INTO sessions (token_hash, user_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  ).run(hashToken(token), userId, now, now, expiresAt);
  return { token, expiresAt };
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

/**
 * The session a token names, or null when unknown, revoked, idle too long or past its absolute
 * lifetime. last_used_at is written at most every quarter idle period (capped at a minute), not
 * on every request, so polling clients do not turn each read into a write.
 */
export function resolveSession(
  db: Db,
  token: string,
  life: SessionLifetimes,
  now = Date.now(),
): SessionPrincipal | null {
  const row = db
    .prepare(
      `SELECT s.token_hash, s.last_used_at, s.expires_at, s.revoked_at, u.id AS user_id, u.email, u.role, u.org_id, o.name AS org_name
       FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.org_id
       WHERE s.token_hash = ?`,
    )
    .get(hashToken(token)) as SessionRow | undefined;
  if (!row || row.revoked_at !== null) return null;
  if (now >= row.expires_at || now - row.last_used_at >= life.idleSeconds * 1000) return null;
  const touchEveryMs = Math.min(60_000, (life.idleSeconds * 1000) / 4);
  if (now - row.last_used_at >= touchEveryMs)
    db.prepare('UPDATE sessions SET last_used_at = ? WHERE token_hash = ?').run(now, row.token_hash);
  return {
    userId: row.user_id,
    email: row.email,
    role: row.role,
    orgId: row.org_id,
    orgName: row.org_name,
    tokenHash: row.token_hash,
  };
}

export function revokeSession(db: Db, tokenHash: string, now = Date.now()): void {
  db.prepare('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(now, tokenHash);
}

/** Drops sessions that can never be valid again, so the table does not grow forever. */
export function purgeDeadSessions(db: Db, life: SessionLifetimes, now = Date.now()): number {
  return db
    .prepare('DELETE FROM sessions WHERE expires_at <= ? OR revoked_at IS NOT NULL OR last_used_at <= ?')
    .run(now, now - life.idleSeconds * 1000).changes;
}
