/**
 * The signed-in session kept between runs in `<dataDir>/client/session.json`: mode, server URL,
 * the user's public profile and the token, encrypted by the vault, or left out when the vault
 * cannot encrypt (then the user signs in again: no plain-text tokens on disk).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SessionUser } from '../../common/api';

export interface TokenVault {
  /** False where the OS offers no real encryption (Electron's Linux `basic_text`, the web transport). */
  canPersist(): boolean;
  encrypt(token: string): string;
  decrypt(sealed: string): string;
}

/** For transports with no OS keychain: tokens live only in memory. */
export const MEMORY_ONLY_VAULT: TokenVault = {
  canPersist: () => false,
  encrypt: () => {
    throw new Error('This vault cannot persist tokens.');
  },
  decrypt: () => {
    throw new Error('This vault cannot persist tokens.');
  },
};

export interface SavedSession {
  mode: 'local' | 'remote';
  serverUrl: string;
  user: SessionUser;
  sealedToken: string | null;
}

export function sessionFilePath(dataDir: string): string {
  return join(dataDir, 'client', 'session.json');
}

export function readSavedSession(dataDir: string): SavedSession | null {
  try {
    const parsed = JSON.parse(readFileSync(sessionFilePath(dataDir), 'utf8')) as Partial<SavedSession>;
    if ((parsed.mode !== 'local' && parsed.mode !== 'remote') || typeof parsed.serverUrl !== 'string' || !parsed.user)
      return null;
    return {
      mode: parsed.mode,
      serverUrl: parsed.serverUrl,
      user: parsed.user,
      sealedToken: typeof parsed.sealedToken === 'string' ? parsed.sealedToken : null,
    };
  } catch {
    return null;
  }
}

export function writeSavedSession(dataDir: string, session: SavedSession): void {
  const file = sessionFilePath(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(session)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export function clearSavedSession(dataDir: string): void {
  rmSync(sessionFilePath(dataDir), { force: true });
}
