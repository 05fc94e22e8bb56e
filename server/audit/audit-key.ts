/**
 * The audit chain's HMAC key, kept outside the database so that whoever holds the database file
 * alone cannot recompute the chain after changing it. CREDMATE_AUDIT_KEY wins (a deployment keeps
 * it in its secret store, away from the data dir); otherwise `<dataDir>/server/audit.key`,
 * 32 random bytes made on first start, readable by the server's user only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { serverStateDir } from '../config';

export const AUDIT_KEY_FILE = 'audit.key';
/** Shorter keys are guessable offline from the chain itself. */
const MIN_ENV_KEY_LENGTH = 32;

export function loadAuditKey(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv !== undefined) {
    if (fromEnv.length < MIN_ENV_KEY_LENGTH) {
      throw new Error(
        `CREDMATE_AUDIT_KEY has ${fromEnv.length} characters; use at least ${MIN_ENV_KEY_LENGTH} random ones (e.g. "openssl rand -hex 32").`,
      );
    }
    return Buffer.from(fromEnv, 'utf8');
  }
  const file = path.join(serverStateDir(dataDir), AUDIT_KEY_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': two servers starting on one data dir never overwrite each other's key.
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Windows has no POSIX modes; there the data dir's ACL is what protects the file.
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
    throw new Error(`${file} is readable by other users; run "chmod 600 ${file}" and start again.`);
  }
  const hex = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new Error(
      `${file} does not hold a 64-digit hex key; restore it from a backup (the chain's existing events verify only with the key that wrote them).`,
    );
  }
  return Buffer.from(hex, 'hex');
}
