/**
 * The JobQueue contract is asynchronous: its callers (run-job.ts's fail_unrecorded, keepLease's
 * renew) handle a database error in .catch. The SQLite adapter wraps synchronous better-sqlite3
 * calls, so an error there (SQLITE_BUSY, a closed handle) must come back as a rejected promise,
 * never as a synchronous throw that skips those handlers. A real SQLite file, closed under it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/open';
import type { JobLease, JobQueue } from '../../../server/jobs/job-queue';
import { createSqliteJobQueue } from '../../../server/jobs/sqlite-job-queue';
import { EMPTY_EXTRACTION_RESULT, TEST_JOB_POLICY } from '../../support/job-fixtures';

const policy = TEST_JOB_POLICY;
const result = EMPTY_EXTRACTION_RESULT;
const lease: JobLease = { jobId: '1', documentId: 'd', fencingToken: 1, attempt: 1 };

describe('SQLite JobQueue adapter errors', () => {
  let dir: string;
  let db: Db;
  let queue: JobQueue;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-sqlite-jobqueue-'));
    db = openDatabase(dir);
    queue = createSqliteJobQueue(db, policy);
    db.close();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const calls: [string, (q: JobQueue) => Promise<unknown>][] = [
    ['enqueue', (q) => q.enqueue('d')],
    ['claim', (q) => q.claim('w')],
    ['renew', (q) => q.renew(lease)],
    ['complete', (q) => q.complete(lease, result)],
    ['fail', (q) => q.fail(lease, 'boom', false)],
    ['depth', (q) => q.depth()],
    ['msUntilNextRunnable', (q) => q.msUntilNextRunnable()],
  ];
  for (const [name, call] of calls) {
    it(`${name} on a closed database rejects instead of throwing`, async () => {
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = call(queue);
      }).not.toThrow();
      await expect(pending).rejects.toThrow(/not open/i);
    });
  }
});
