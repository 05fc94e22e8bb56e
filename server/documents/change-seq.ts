import type { Db } from '../db/open';

/**
 * Next value of the server-wide change sequence. A counter row, not MAX(change_seq)+1: deleting
 * the newest document must not let the next change reuse a cursor a client has already seen.
 * Call inside the write transaction that changes the document.
 */
export function nextChangeSeq(db: Db): number {
  const row = db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'change_seq' RETURNING value").get() as {
    value: number;
  };
  return row.value;
}
