/**
 * The command line's session token, kept between runs in `<dataDir>/client/session-token.json` so
 * an import does not pay the server's scrypt password check on every run (issue 17: 1.8-2.2 s of
 * a 400-file import's start, the largest fixed cost before the first byte).
 *
 * Why a private file is safe here: it sits beside the queue database (`client/queue.sqlite`) and
 * the local account's password (`server/local-account.json`), in the same 0700 directory, as a
 * 0600 file. Whoever can read it can already read the documents' metadata in the queue and, for
 * the bundled server, the password itself; the token grants no more than that password and ends
 * with the server's session lifetime (the server keeps only its hash, and revokes it on logout).
 * The desktop keeps its token sealed by the OS keychain instead (main/services/session-file.ts):
 * it can ask the keychain, a command on a headless server often cannot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from '../../../node-shared/private-files';

const PRIVATE_FILE = 0o600;

export interface SavedToken {
  /** Whose session: `local:<email>` for the bundled server (its port changes per run), else `<url>|<email>`. */
  key: string;
  token: string;
  /** ISO time the server gave as the session's absolute end. */
  expiresAt: string;
}

export function savedTokenPath(dataDir: string): string {
  return path.join(dataDir, 'client', 'session-token.json');
}

/** Which session a saved token belongs to. */
export function sessionKey(target: { mode: 'local' | 'remote'; url: string; email: string }): string {
  const email = target.email.trim().toLowerCase();
  return target.mode === 'local' ? `local:${email}` : `${target.url.replace(/\/+$/, '')}|${email}`;
}

/** The saved token for `key` while it has not reached its end, else null (a missing or unreadable file is no token). */
export function readSavedToken(dataDir: string, key: string, now = Date.now()): SavedToken | null {
  let saved: Partial<SavedToken>;
  try {
    saved = JSON.parse(fs.readFileSync(savedTokenPath(dataDir), 'utf8')) as Partial<SavedToken>;
  } catch {
    return null;
  }
  if (saved.key !== key || typeof saved.token !== 'string' || typeof saved.expiresAt !== 'string') return null;
  // A minute's margin: a token about to end would only earn a 401 and a sign-in mid-import.
  return Date.parse(saved.expiresAt) - 60_000 > now ? (saved as SavedToken) : null;
}

/** Writes the token privately (0600 in a 0700 directory), replacing the file in one rename. */
export function saveToken(dataDir: string, saved: SavedToken): void {
  const file = savedTokenPath(dataDir);
  ensurePrivateDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', PRIVATE_FILE);
  try {
    if (process.platform !== 'win32') fs.fchmodSync(fd, PRIVATE_FILE);
    fs.writeFileSync(fd, JSON.stringify(saved));
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Forgets the saved token (it was refused). */
export function forgetToken(dataDir: string): void {
  fs.rmSync(savedTokenPath(dataDir), { force: true });
}
