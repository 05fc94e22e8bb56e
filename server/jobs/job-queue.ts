/**
 * The one contract between extraction workers and whatever queue engine holds their jobs: the
 * embedded SQLite lease table (sqlite-job-queue.ts) or pg-boss in the PostgreSQL deployment
 * (pg-boss-queue.ts). A worker loop written against this never knows which one it runs on.
 */
import type { ExtractionResultRecord, FailOutcome } from './queue';

export type { ExtractionResultRecord, FailOutcome } from './queue';

/** One delivery of a job to one worker. `fencingToken` names the delivery: a later one has a larger token. */
export interface JobLease {
  /** The engine's id, as text (SQLite: the row id; pg-boss: a UUID). */
  jobId: string;
  documentId: string;
  fencingToken: number;
  /** 1 for the first delivery. */
  attempt: number;
}

/** A claimed job with what the worker needs to read the document's bytes and check them. */
export interface ClaimedExtraction extends JobLease {
  objectKey: string;
  sizeBytes: number;
  sha256: string;
}

/** Jobs waiting (due or backing off), held by a worker, and dead-lettered. */
export interface QueueDepth {
  pending: number;
  running: number;
  dead: number;
}

export interface JobQueue {
  /** Queues the extraction of a document; the job's id. */
  enqueue(documentId: string): Promise<string>;
  /** The next runnable job for this worker, leased to it under a new fencing token; null when none is due. */
  claim(workerId: string): Promise<ClaimedExtraction | null>;
  /** True while the lease is still this delivery's; false means stop: another delivery owns the job now. */
  renew(job: JobLease): Promise<boolean>;
  /** Writes the result exactly once: false (and nothing written) when this delivery no longer holds the job. */
  complete(job: JobLease, result: ExtractionResultRecord): Promise<boolean>;
  /** A failed attempt: retried after a backoff, or dead-lettered when permanent or out of attempts; 'stale' writes nothing. */
  fail(job: JobLease, error: string, permanent: boolean): Promise<FailOutcome>;
  depth(): Promise<QueueDepth>;
  /** How long an idle worker may sleep before a job can be due; null when the engine cannot tell (poll). */
  msUntilNextRunnable(): Promise<number | null>;
}
