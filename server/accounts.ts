import crypto from 'node:crypto';
import type { Role } from '../common/api';
import { AppError } from '../common/errors';
import { hashPassword } from './auth/password';
import { checkNewPassword } from './auth/password-policy';
import { isUniqueViolation } from './db/constraint-errors';
import { queryLayer, type AnyDb } from './db/kysely';
import { nowIso } from './db/open';

export interface NewUser {
  org: string;
  email: string;
  password: string;
  role: Role;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function duplicateEmail(email: string): AppError {
  return new AppError('conflict', `A user with email ${email} already exists.`);
}

/**
 * Creates the organisation if it does not exist yet, then the user in it, on either database.
 * The transaction writes first (the organisation, ON CONFLICT DO NOTHING): on SQLite that takes the
 * write lock before any read, so a server writing the same file cannot invalidate what was read;
 * on PostgreSQL two processes adding users to a new organisation at once both end up in the same one.
 */
export async function addUser(
  anyDb: AnyDb,
  input: NewUser,
): Promise<{ userId: string; orgId: string; createdOrg: boolean }> {
  const email = input.email.trim().toLowerCase();
  const org = input.org.trim();
  if (!EMAIL.test(email)) throw new AppError('invalid_input', `"${input.email}" is not an email address.`);
  if (!org) throw new AppError('invalid_input', 'The organisation name is empty.');
  checkNewPassword(input.password, email);
  const passwordHash = await hashPassword(input.password);
  const db = queryLayer(anyDb);
  try {
    return await db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('organizations')
        .values({ id: crypto.randomUUID(), name: org, created_at: nowIso() })
        .onConflict((oc) => oc.column('name').doNothing())
        .executeTakeFirst();
      const orgRow = await trx
        .selectFrom('organizations')
        .select('id')
        .where('name', '=', org)
        .executeTakeFirstOrThrow();
      if (await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) {
        throw duplicateEmail(email);
      }
      const userId = crypto.randomUUID();
      await trx
        .insertInto('users')
        .values({
          id: userId,
          org_id: orgRow.id,
          email,
          password_hash: passwordHash,
          role: input.role,
          created_at: nowIso(),
        })
        .execute();
      return { userId, orgId: orgRow.id, createdOrg: Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 };
    });
  } catch (error) {
    // Another process added the same email between the check and the insert.
    if (isUniqueViolation(error)) throw duplicateEmail(email);
    throw error;
  }
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
export async function findLoginUser(anyDb: AnyDb, email: string): Promise<LoginUser | undefined> {
  return queryLayer(anyDb)
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.email', 'u.role', 'u.password_hash', 'u.org_id', 'o.name as org_name'])
    .where('u.email', '=', email)
    .executeTakeFirst();
}

export interface UserListing {
  id: string;
  email: string;
  role: Role;
  org: string;
}

/** Every user with their organisation's name, by organisation then email (`credmate users list`). */
export async function listUsers(anyDb: AnyDb): Promise<UserListing[]> {
  return queryLayer(anyDb)
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.email', 'u.role', 'o.name as org'])
    .orderBy('o.name')
    .orderBy('u.email')
    .execute();
}
