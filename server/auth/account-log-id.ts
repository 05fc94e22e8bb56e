/**
 * How sign-in log lines name an account: a keyed hash of the normalised email, never the email
 * (logs leave the server; emails are personal data). Keyed with the server's audit key, so the
 * same account reads the same across restarts, and nobody holding only the logs can confirm a
 * guessed email by hashing it.
 */
import crypto from 'node:crypto';

export function accountLogId(key: Buffer, email: string): string {
  return crypto
    .createHmac('sha256', key)
    .update(`sign-in-log\0${email.trim().toLowerCase()}`)
    .digest('hex')
    .slice(0, 16);
}
