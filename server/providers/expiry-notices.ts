/**
 * The once-a-day expiry notice: which credentials entered a window (expired, 30, 60 or 90 days)
 * that this user has not been told about yet. A credential is told once per window; it is told
 * again when it moves into a nearer window, or when a renewal brings a new expiration date.
 */
import { rows, type Unit } from '../db/units';
import type { Expiration } from './expirations';

export function noticeKey(e: Pick<Expiration, 'documentId' | 'expirationDate' | 'bucket'>): string {
  return `${e.documentId}|${e.expirationDate}|${e.bucket}`;
}

/** Pure: the expirations whose (document, date, window) is not among those already told. */
export function pickNewNotices(current: readonly Expiration[], told: ReadonlySet<string>): Expiration[] {
  return current.filter((e) => !told.has(noticeKey(e)));
}

const rowKey = (r: { document_id: string; expiration_date: string; bucket: string }) =>
  noticeKey({ documentId: r.document_id, expirationDate: r.expiration_date, bucket: r.bucket as Expiration['bucket'] });

/** Rows per INSERT: 6 parameters each, well below SQLite's bound-parameter limit. */
const CHUNK = 500;

/**
 * Picks and records the new notices for a user, in the caller's write (the route commits them with
 * their audit event). Only the rows this write inserted are answered: a second request of the same
 * user at once (another API process) finds them taken (ON CONFLICT DO NOTHING returns no row), so a
 * notice is told once.
 */
export function* takeNewNotices(
  orgId: string,
  userId: string,
  current: readonly Expiration[],
  today: string,
): Unit<Expiration[]> {
  const toldRows = yield* rows((q) =>
    q.selectFrom('expiry_notices').select(['document_id', 'expiration_date', 'bucket']).where('user_id', '=', userId),
  );
  const told = new Set(toldRows.map(rowKey));
  const fresh = pickNewNotices(current, told);
  const inserted = new Set<string>();
  for (let i = 0; i < fresh.length; i += CHUNK) {
    const values = fresh.slice(i, i + CHUNK).map((e) => ({
      org_id: orgId,
      user_id: userId,
      document_id: e.documentId,
      expiration_date: e.expirationDate,
      bucket: e.bucket,
      noticed_on: today,
    }));
    const got = yield* rows((q) =>
      q
        .insertInto('expiry_notices')
        .values(values)
        .onConflict((oc) => oc.doNothing())
        .returning(['document_id', 'expiration_date', 'bucket']),
    );
    for (const r of got) inserted.add(rowKey(r));
  }
  return fresh.filter((e) => inserted.has(noticeKey(e)));
}
