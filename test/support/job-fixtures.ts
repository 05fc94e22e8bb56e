import type { ExtractionResultRecord } from '../../server/jobs/job-queue';

/** A queue policy short enough for tests to see leases expire and backoff pass. */
export const TEST_JOB_POLICY = { leaseMs: 1000, maxAttempts: 3, backoffBaseMs: 100, backoffMaxMs: 10_000 };

/** The smallest extraction result a worker can record: the queue tests care that it is written once, not what it says. */
export const EMPTY_EXTRACTION_RESULT: ExtractionResultRecord = {
  pipelineVersion: 't',
  resultJson: '{}',
  pages: 1,
  docType: 'unknown',
  docTypeConfidence: 0.5,
  minConfidence: null,
  meanConfidence: null,
  expirationDate: null,
};
