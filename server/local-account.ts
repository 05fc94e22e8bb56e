/**
 * The local account for single-machine use: on first start with embedded defaults the server
 * creates an organisation and an admin with a random password, written to
 * `<dataDir>/server/local-account.json` (0600). The CLI import and the desktop app read it and
 * sign in through the normal login route; there is no auth bypass.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { addUser } from './accounts';
import { serverStateDir } from './config';
import type { Db } from './db/open';

export const LOCAL_EMAIL = 'local@credmate.localhost';
export const LOCAL_ORG = 'Local';

export interface LocalAccount {
  email: string;
  password: string;
  organization: string;
}

export function localAccountPath(dataDir: string): string {
  return path.join(serverStateDir(dataDir), 'local-account.json');
}

/** The local account's credentials, or null when this data dir has none (server never started, or not in local mode). */
export function readLocalAccount(dataDir: string): LocalAccount | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(localAccountPath(dataDir), 'utf8')) as Partial<LocalAccount>;
    if (typeof parsed.email !== 'string' || typeof parsed.password !== 'string') return null;
    return { email: parsed.email, password: parsed.password, organization: parsed.organization ?? LOCAL_ORG };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Creates the local account unless its user exists; a new password replaces a stale file. */
export async function ensureLocalAccount(db: Db, dataDir: string): Promise<LocalAccount> {
  const existing = readLocalAccount(dataDir);
  if (db.prepare('SELECT 1 FROM users WHERE email = ?').get(LOCAL_EMAIL) && existing) return existing;
  if (db.prepare('SELECT 1 FROM users WHERE email = ?').get(LOCAL_EMAIL)) {
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
