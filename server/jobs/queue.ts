/**
 * The extraction job queue in SQLite (the pg-boss / SQS visibility-timeout model): a worker
 * claims a job with a lease and a fencing token; only the holder of the current token with an
 * unexpired lease may renew it or write the result. A dead worker's lease simply runs out and
 * the job is claimed again with a new token, so the late write of the old worker is rejected.
 */
import type { Db } from '../db/open';
import { documentObject, recordExtraction, resetForExtraction, setDocumentStatus } from '../documents/document-store';

export interface QueuePolicy {
  leaseMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface ClaimedJob {
  jobId: number;
  documentId: string;
  fencingToken: number;
  attempt: number;
  objectKey: string;
  sizeBytes: number;
  sha256: string;
}

interface JobRow {
  id: number;
  document_id: string;
  state: string;
  attempts: number;
  max_attempts: number;
  fencing_token: number;
  lease_expires_at: number | null;
}

export function enqueueJob(db: Db, documentId: string, maxAttempts: number, now = Date.now()): number {
  return Number(
    db
      .prepare(
        "INSERT INTO jobs (document_id, state, max_attempts, run_after, enqueued_at) VALUES (?, 'queued', ?, ?, ?)",
      )
      .run(documentId, maxAttempts, now, now).lastInsertRowid,
  );
}

function deadLetter(db: Db, job: Pick<JobRow, 'id' | 'document_id'>, reason: string, now: number): void {
  db.prepare(
    "UPDATE jobs SET state = 'dead', last_error = ?, lease_owner = NULL, lease_expires_at = NULL, finished_at = ? WHERE id = ?",
  ).run(reason, now, job.id);
  setDocumentStatus(db, job.document_id, 'failed', { failureReason: reason, processingFinishedAt: now });
}

/** Claims the next runnable job (queued and due, or running with an expired lease), or null. */
export function claimJob(db: Db, owner: string, policy: QueuePolicy, now = Date.now()): ClaimedJob | null {
  return db
    .transaction((): ClaimedJob | null => {
      for (;;) {
        const job = db
          .prepare(
            `SELECT id, document_id, state, attempts, max_attempts, fencing_token, lease_expires_at FROM jobs
           WHERE (state = 'queued' AND run_after <= ?) OR (state = 'running' AND lease_expires_at <= ?)
           ORDER BY run_after, id LIMIT 1`,
          )
          .get(now, now) as JobRow | undefined;
        if (!job) return null;
        if (job.state === 'running' && job.attempts >= job.max_attempts) {
          // Its worker died on every attempt: a poison document that kills workers goes to the dead letters.
          deadLetter(db, job, `The worker stopped during each of ${job.attempts} attempts (lease expired).`, now);
          continue;
        }
        const token = job.fencing_token + 1;
        db.prepare(
          `UPDATE jobs SET state = 'running', attempts = attempts + 1, fencing_token = ?, lease_owner = ?, lease_expires_at = ?,
           first_claimed_at = COALESCE(first_claimed_at, ?) WHERE id = ?`,
        ).run(token, owner, now + policy.leaseMs, now, job.id);
        setDocumentStatus(db, job.document_id, 'processing', { processingStartedAt: now });
        const doc = documentObject(db, job.document_id);
        return {
          jobId: job.id,
          documentId: job.document_id,
          fencingToken: token,
          attempt: job.attempts + 1,
          objectKey: doc.object_key,
          sizeBytes: doc.size_bytes,
          sha256: doc.sha256,
        };
      }
    })
    .immediate();
}

const HOLDS = "state = 'running' AND fencing_token = ? AND lease_expires_at > ?";

/** Extends the lease; false means the lease is lost (expired or taken over) and the worker must stop. */
export function renewLease(
  db: Db,
  job: Pick<ClaimedJob, 'jobId' | 'fencingToken'>,
  leaseMs: number,
  now = Date.now(),
): boolean {
  return (
    db
      .prepare(`UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND ${HOLDS}`)
      .run(now + leaseMs, job.jobId, job.fencingToken, now).changes === 1
  );
}

export interface ExtractionResultRecord {
  pipelineVersion: string;
  resultJson: string;
  pages: number;
  docType: string;
  docTypeConfidence: number;
  minConfidence: number | null;
  meanConfidence: number | null;
  expirationDate: string | null;
}

/** Writes the result only while holding the lease; false (and nothing written) for a stale worker. */
export function completeJob(
  db: Db,
  job: Pick<ClaimedJob, 'jobId' | 'fencingToken' | 'documentId'>,
  result: ExtractionResultRecord,
  now = Date.now(),
): boolean {
  return db
    .transaction(() => {
      const done = db
        .prepare(
          `UPDATE jobs SET state = 'done', lease_owner = NULL, lease_expires_at = NULL, last_error = NULL, finished_at = ? WHERE id = ? AND ${HOLDS}`,
        )
        .run(now, job.jobId, job.fencingToken, now);
      if (done.changes !== 1) return false;
      recordExtraction(db, job.documentId, { ...result, jobId: job.jobId, fencingToken: job.fencingToken }, now);
      return true;
    })
    .immediate();
}

export type FailOutcome = 'retry' | 'dead' | 'stale';

/** Exponential backoff with equal jitter: half the capped delay fixed, half random, so retries of many jobs spread out. */
export function backoffMs(
  attempt: number,
  policy: Pick<QueuePolicy, 'backoffBaseMs' | 'backoffMaxMs'>,
  random = Math.random,
): number {
  const cap = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** Records a failed attempt: retry later, or dead-letter when permanent or out of attempts. */
export function failJob(
  db: Db,
  job: Pick<ClaimedJob, 'jobId' | 'fencingToken'>,
  error: string,
  permanent: boolean,
  policy: QueuePolicy,
  now = Date.now(),
): FailOutcome {
  return db
    .transaction((): FailOutcome => {
      const row = db
        .prepare(`SELECT id, document_id, attempts, max_attempts FROM jobs WHERE id = ? AND ${HOLDS}`)
        .get(job.jobId, job.fencingToken, now) as JobRow | undefined;
      if (!row) return 'stale';
      if (permanent || row.attempts >= row.max_attempts) {
        deadLetter(db, row, error, now);
        return 'dead';
      }
      db.prepare(
        "UPDATE jobs SET state = 'queued', last_error = ?, lease_owner = NULL, lease_expires_at = NULL, run_after = ? WHERE id = ?",
      ).run(error, now + backoffMs(row.attempts, policy), row.id);
      return 'retry';
    })
    .immediate();
}

/** Queues the document's extraction again (after a pipeline upgrade); false when one is already queued or running. */
export function requeueDocument(db: Db, documentId: string, maxAttempts: number, now = Date.now()): boolean {
  if (db.prepare("SELECT 1 FROM jobs WHERE document_id = ? AND state IN ('queued', 'running')").get(documentId))
    return false;
  enqueueJob(db, documentId, maxAttempts, now);
  resetForExtraction(db, documentId);
  return true;
}

export function queueCounts(db: Db): { pending: number; running: number; dead: number } {
  const rows = db
    .prepare("SELECT state, COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running', 'dead') GROUP BY state")
    .all() as Array<{ state: string; n: number }>;
  const n = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
  return { pending: n('queued'), running: n('running'), dead: n('dead') };
}

/** Milliseconds until the next job becomes runnable (due retry or expiring lease), or null if none is waiting. */
export function msUntilNextRunnable(db: Db, now = Date.now()): number | null {
  const row = db
    .prepare(
      "SELECT MIN(CASE WHEN state = 'queued' THEN run_after ELSE lease_expires_at END) AS at FROM jobs WHERE state IN ('queued', 'running')",
    )
    .get() as { at: number | null };
  return row.at === null ? null : Math.max(0, row.at - now);
}
