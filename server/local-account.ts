/**
 * The local account for single-machine use: on first start with embedded defaults the server
 * creates an organisation and an admin with a random password, written to
 * `<dataDir>/server/local-account.json` (0600). The CLI import and the desktop app read it and
 * sign in through the normal login route; there is no auth bypass. Where the file lives and how it
 * is read is node-shared/local-account-file.ts, which the clients import without the server.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { addUser } from './accounts';
import { queryLayer, type AnyDb } from './db/kysely';
import { LOCAL_ORG, localAccountPath, readLocalAccount, type LocalAccount } from '../node-shared/local-account-file';

export const LOCAL_EMAIL = 'local@credmate.localhost';

/** Creates the local account unless its user exists; a new password replaces a stale file. */
export async function ensureLocalAccount(db: AnyDb, dataDir: string): Promise<LocalAccount> {
  const existing = readLocalAccount(dataDir);
  const user = await queryLayer(db)
    .selectFrom('users')
    .select('id')
    .where('email', '=', LOCAL_EMAIL)
    .executeTakeFirst();
  if (user && existing) return existing;
  if (user) {
    throw new Error(
      `The local account exists in the database but ${localAccountPath(dataDir)} is missing; restore it or reset the password with "credmate users".`,
    );
  }
  // Hex: never starts with '-' (a command-line parser would take it for an option), nothing to quote.
  const account = { email: LOCAL_EMAIL, password: crypto.randomBytes(18).toString('hex'), organization: LOCAL_ORG };
  await addUser(db, { org: LOCAL_ORG, email: account.email, password: account.password, role: 'admin' });
  const file = localAccountPath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(account, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return account;
}
