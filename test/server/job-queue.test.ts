import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/open';
import {
  backoffMs,
  claimJob,
  completeJob,
  enqueueJob,
  failJob,
  renewLease,
  requeueDocument,
  type ExtractionResultRecord,
} from '../../server/jobs/queue';

const policy = { leaseMs: 1000, maxAttempts: 3, backoffBaseMs: 100, backoffMaxMs: 10_000 };
const result: ExtractionResultRecord = {
  pipelineVersion: 't',
  resultJson: '{}',
  pages: 1,
  docType: 'unknown',
  docTypeConfidence: 0.5,
  minConfidence: null,
  meanConfidence: null,
  expirationDate: null,
};

describe('job queue on a real SQLite file', () => {
  let dir: string;
  let db: Db;
  const addDocument = (id: string) => {
    db.prepare("INSERT OR IGNORE INTO organizations (id, name, created_at) VALUES ('o', 'O', '')").run();
    db.prepare(
      "INSERT INTO documents (id, org_id, file_name, size_bytes, sha256, object_key, status, created_at, updated_at, change_seq) VALUES (?, 'o', 'f', 1, ?, 'k', 'uploaded', '', '', 0)",
    ).run(id, id.padEnd(64, '0'));
    return enqueueJob(db, id, policy.maxAttempts, 0);
  };
  const status = (id: string) =>
    (db.prepare('SELECT status FROM documents WHERE id = ?').get(id) as { status: string }).status;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-queue-'));
    db = openDatabase(dir);
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rejects the late write of a worker whose lease expired and was taken over', () => {
    addDocument('d1');
    const stale = claimJob(db, 'worker-a', policy, 1000)!;
    expect(stale.fencingToken).toBe(1);
    expect(claimJob(db, 'worker-b', policy, 1500)).toBeNull();
    const fresh = claimJob(db, 'worker-b', policy, 2001)!;
    expect(fresh).toMatchObject({ jobId: stale.jobId, fencingToken: 2, attempt: 2 });

    expect(renewLease(db, stale, policy.leaseMs, 2100)).toBe(false);
    expect(completeJob(db, stale, result, 2100)).toBe(false);
    expect(failJob(db, stale, 'late', false, policy, 2100)).toBe('stale');
    expect(db.prepare('SELECT COUNT(*) AS n FROM extractions').get()).toEqual({ n: 0 });

    expect(completeJob(db, fresh, result, 2200)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM extractions').get()).toEqual({ n: 1 });
    expect(status('d1')).toBe('review_pending');
  });

  it('refuses a write after the lease expired even before anyone took over', () => {
    addDocument('d1');
    const job = claimJob(db, 'w', policy, 1000)!;
    expect(renewLease(db, job, policy.leaseMs, 1500)).toBe(true);
    expect(completeJob(db, job, result, 2600)).toBe(false);
  });

  it('retries with backoff, then dead-letters after the last attempt with its error', () => {
    addDocument('d1');
    let now = 1000;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const job = claimJob(db, 'w', policy, now)!;
      expect(job.attempt).toBe(attempt);
      expect(failJob(db, job, `boom ${attempt}`, false, policy, now)).toBe('retry');
      expect(claimJob(db, 'w', policy, now)).toBeNull();
      now += policy.backoffMaxMs;
    }
    const last = claimJob(db, 'w', policy, now)!;
    expect(failJob(db, last, 'boom 3', false, policy, now)).toBe('dead');
    expect(db.prepare('SELECT state, last_error FROM jobs').get()).toEqual({ state: 'dead', last_error: 'boom 3' });
    expect(db.prepare('SELECT status, failure_reason FROM documents').get()).toEqual({
      status: 'failed',
      failure_reason: 'boom 3',
    });
  });

  it('dead-letters a job whose worker died on every attempt, and moves on to the next job', () => {
    addDocument('poison');
    addDocument('good');
    let now = 1000;
    for (let i = 0; i < policy.maxAttempts; i++) {
      expect(claimJob(db, 'w', policy, now)?.documentId).toBe('poison');
      now += policy.leaseMs + 1;
    }
    const next = claimJob(db, 'w', policy, now);
    expect(next?.documentId).toBe('good');
    expect(status('poison')).toBe('failed');
  });

  it('backs off exponentially with jitter inside [cap/2, cap]', () => {
    expect(backoffMs(1, policy, () => 0)).toBe(50);
    expect(backoffMs(1, policy, () => 1)).toBe(100);
    expect(backoffMs(4, policy, () => 0)).toBe(400);
    expect(backoffMs(4, policy, () => 1)).toBe(800);
    expect(backoffMs(30, policy, () => 1)).toBe(10_000);
  });

  it('requeues a finished document for reprocessing, but not one already queued', () => {
    addDocument('d1');
    expect(requeueDocument(db, 'd1', 3)).toBe(false);
    const job = claimJob(db, 'w', policy, 1000)!;
    completeJob(db, job, result, 1100);
    expect(requeueDocument(db, 'd1', 3)).toBe(true);
    expect(status('d1')).toBe('uploaded');
    const again = claimJob(db, 'w', policy, Date.now() + 1)!;
    expect(again.jobId).not.toBe(job.jobId);
  });
});
