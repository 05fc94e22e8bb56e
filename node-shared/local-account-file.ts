/**
 * Where the bundled server leaves the local account's credentials, and how a client reads them:
 * `<dataDir>/server/local-account.json` (0600). The server writes it (server/local-account.ts);
 * the command line and the desktop app read it here and sign in through the normal login route,
 * so neither needs to import the server to find it.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOCAL_ORG = 'Local';

export interface LocalAccount {
  email: string;
  password: string;
  organization: string;
}

export function localAccountPath(dataDir: string): string {
  // The server's state dir inside a data dir (server/config.ts serverStateDir).
  return path.join(dataDir, 'server', 'local-account.json');
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
