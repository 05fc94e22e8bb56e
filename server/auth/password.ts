import crypto from 'node:crypto';
import { PasswordHasher } from './password-hasher';

/** OWASP Password Storage Cheat Sheet minimum for scrypt: N=2^17, r=8, p=1 (128 MiB, run off the event loop and off libuv's pool). */
const PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const MAXMEM = 256 * 1024 * 1024;

let shared: PasswordHasher | undefined;
/**
 * The hasher for hashes made outside a login (users add, the local account, the dummy hash): one
 * thread, no queue bound (these are not anonymous). Logins use the server's capped one (start.ts).
 */
function sharedHasher(): PasswordHasher {
  shared ??= new PasswordHasher(1, Number.MAX_SAFE_INTEGER);
  return shared;
}

/** `scrypt$N$r$p$salt$hash` (base64url), so parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string, hasher: PasswordHasher = sharedHasher()): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await hasher.derive(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: MAXMEM });
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Throws PasswordHashingBusy when `hasher` has no room for another check. */
export async function verifyPassword(
  password: string,
  stored: string,
  hasher: PasswordHasher = sharedHasher(),
): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await hasher.derive(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAXMEM,
  });
  return crypto.timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;
/** A hash to verify against when the email is unknown, so both failures cost the same time. */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummyHash;
}
