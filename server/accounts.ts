import crypto from 'node:crypto';
import type { Role } from '../common/api';
import { AppError } from '../common/errors';
import { hashPassword } from './auth/password';
import { checkNewPassword } from './auth/password-policy';
import { nowIso, type Db } from './db/open';

export interface NewUser {
  org: string;
  email: string;
  password: string;
  role: Role;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Creates the organisation if it does not exist yet, then the user in it. */
export async function addUser(db: Db, input: NewUser): Promise<{ userId: string; orgId: string; createdOrg: boolean }> {
  const email = input.email.trim().toLowerCase();
  const org = input.org.trim();
  if (!EMAIL.test(email)) throw new AppError('invalid_input', `"${input.email}" is not an email address.`);
  if (!org) throw new AppError('invalid_input', 'The organisation name is empty.');
  checkNewPassword(input.password, email);
  const passwordHash = await hashPassword(input.password);
  return db
    .transaction(() => {
      if (db.prepare('SELECT 1 FROM users WHERE email = ?').get(email)) {
        throw new AppError('conflict', `A user with email ${email} already exists.`);
      }
      let orgRow = db.prepare('SELECT id FROM organizations WHERE name = ?').get(org) as { id: string } | undefined;
      const createdOrg = !orgRow;
      if (!orgRow) {
        orgRow = { id: crypto.randomUUID() };
        db.prepare('INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)').run(orgRow.id, org, nowIso());
      }
      const userId = crypto.randomUUID();
      db.prepare(
        'INSERT INTO users (id, org_id, email, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(userId, orgRow.id, email, passwordHash, input.role, nowIso());
      return { userId, orgId: orgRow.id, createdOrg };
    })
    .immediate();
}

export interface LoginUser {
  id: string;
  email: string;
  role: Role;
  password_hash: string;
  org_id: string;
  org_name: string;
}

/** The account signing in with this (normalised) email, with its organisation's name, or undefined. */
export function findLoginUser(db: Db, email: string): LoginUser | undefined {
  return db
    .prepare(
      'SELECT u.id, u.email, u.role, u.password_hash, u.org_id, o.name AS org_name FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.email = ?',
    )
    .get(email) as LoginUser | undefined;
}
