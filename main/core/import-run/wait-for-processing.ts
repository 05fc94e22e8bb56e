import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { DocumentStatus } from '../../../common/api';
import type { ApiClient } from '../api-client';
import { DocumentsMirror } from '../sync/documents-mirror';
import { ChangeFeedSync } from '../sync/change-feed-sync';

export interface ProcessingResult {
  /** Final (or, after the deadline, current) status counts of the imported documents. */
  byStatus: Partial<Record<DocumentStatus, number>>;
  stillProcessing: number;
  timedOut: boolean;
  documents: { id: string; fileName: string; status: DocumentStatus; failureReason: string | null }[];
}

const IN_FLIGHT: readonly DocumentStatus[] = ['uploaded', 'processing'];

/** Follows the change feed into the local mirror until every given document left `uploaded`/`processing`, or the deadline. */
export async function waitForProcessing(
  db: Database.Database,
  api: ApiClient,
  documentIds: readonly string[],
  deadlineMs: number,
  signal?: AbortSignal,
): Promise<ProcessingResult> {
  const mirror = new DocumentsMirror(db);
  const sync = new ChangeFeedSync(api, mirror);
  const until = Date.now() + deadlineMs;
  const pending = (): number =>
    documentIds.filter((id) => {
      const d = mirror.get(id);
      return !d || IN_FLIGHT.includes(d.status);
    }).length;
  let timedOut = false;
  for (;;) {
    try {
      await sync.syncOnce(signal);
    } catch (err) {
      if (signal?.aborted) throw err;
    }
    if (pending() === 0) break;
    if (Date.now() >= until) {
      timedOut = true;
      break;
    }
    await sleep(1000, undefined, { signal });
  }
  const documents = documentIds.flatMap((id) => {
    const d = mirror.get(id);
    return d ? [{ id, fileName: d.fileName, status: d.status, failureReason: d.failureReason }] : [];
  });
  return { byStatus: mirror.countByStatus(documentIds), stillProcessing: pending(), timedOut, documents };
}
