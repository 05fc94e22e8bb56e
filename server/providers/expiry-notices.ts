/**
 * The once-a-day expiry notice: which credentials entered a window (expired, 30, 60 or 90 days)
 * that this user has not been told about yet. A credential is told once per window; it is told
 * again when it moves into a nearer window, or when a renewal brings a new expiration date.
 */
import { allOnHandle, handleQueries } from '../db/on-handle';
import type { Db } from '../db/open';
import type { Expiration } from './expirations';

export function noticeKey(e: Pick<Expiration, 'documentId' | 'expirationDate' | 'bucket'>): string {
  return `${e.documentId}|${e.expirationDate}|${e.bucket}`;
}

/** Pure: the expirations whose (document, date, window) is not among those already told. */
export function pickNewNotices(current: readonly Expiration[], told: ReadonlySet<string>): Expiration[] {
  return current.filter((e) => !told.has(noticeKey(e)));
}

/**
 * Picks and records the new notices for a user, in the caller's write transaction: on the
 * better-sqlite3 handle, since the route commits the notices with their audit event.
 */
export function takeNewNotices(
  db: Db,
  orgId: string,
  userId: string,
  current: readonly Expiration[],
  today: string,
): Expiration[] {
  const told = new Set(
    allOnHandle(
      db,
      handleQueries
        .selectFrom('expiry_notices')
        .select(['document_id', 'expiration_date', 'bucket'])
        .where('user_id', '=', userId),
    ).map((r) =>
      noticeKey({
        documentId: r.document_id,
        expirationDate: r.expiration_date,
        bucket: r.bucket as Expiration['bucket'],
      }),
    ),
  );
  const fresh = pickNewNotices(current, told);
  const insert = db.prepare(
    'INSERT OR IGNORE INTO expiry_notices (org_id, user_id, document_id, expiration_date, bucket, noticed_on) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const e of fresh) insert.run(orgId, userId, e.documentId, e.expirationDate, e.bucket, today);
  return fresh;
}
