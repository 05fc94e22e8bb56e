import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import {
  isExtractionFailure,
  type DocumentText,
  type ExtractionOutcome,
  type ExtractionSuccess,
} from '../../common/extraction';
import type { ExtractionSandbox } from '../extraction/sandbox';
import { PIPELINE_VERSION } from '../extraction/index';
import { errorFields, type Logger } from '../log';
import type { ObjectStore } from '../storage/object-store';
import { derivedTextKeyFor } from '../storage/object-keys';
import { jobHooks } from './job-hooks';
import type { ClaimedExtraction, JobQueue } from './job-queue';
import type { QueuePolicy } from './queue';

/** Codes that depend on the run, not the document: worth another attempt. */
const RETRYABLE_CODES = new Set(['timeout', 'out_of_memory', 'crashed']);

export interface JobContext {
  queue: JobQueue;
  store: ObjectStore;
  sandbox: ExtractionSandbox;
  policy: QueuePolicy;
  log: Logger;
}

function summarise(outcome: ExtractionSuccess) {
  const confidences = Object.values(outcome.fields).flatMap((f) => (f ? [f.confidence] : []));
  const expiration = outcome.fields.expirationDate?.value;
  return {
    pipelineVersion: PIPELINE_VERSION,
    resultJson: JSON.stringify(outcome),
    pages: outcome.pages,
    docType: outcome.docType,
    docTypeConfidence: outcome.docTypeConfidence,
    minConfidence: confidences.length ? Math.min(...confidences) : null,
    meanConfidence: confidences.length ? confidences.reduce((a, b) => a + b, 0) / confidences.length : null,
    expirationDate: typeof expiration === 'string' ? expiration : null,
  };
}

/**
 * Renews the lease every third of its length until stopped; `lost()` turns true once the queue says
 * another delivery holds the job (or the renewal itself fails: the lease is then as good as gone).
 */
function keepLease(ctx: JobContext, job: ClaimedExtraction, log: JobContext['log']) {
  let lost = false;
  let renewing = false;
  const timer = setInterval(
    () => {
      // A slow database must not stack renewals up behind each other.
      if (renewing) return;
      renewing = true;
      ctx.queue
        .renew(job)
        .catch((err: unknown) => (log.warn('job.renew_failed', errorFields(err)), false))
        .then((held) => {
          renewing = false;
          if (held || lost) return;
          lost = true;
          clearInterval(timer);
          log.warn('job.lease_lost');
        });
    },
    Math.max(50, Math.floor(ctx.policy.leaseMs / 3)),
  );
  return { lost: () => lost, stop: () => clearInterval(timer) };
}

/**
 * Runs one claimed job: renews the lease in the background while it works, and writes the result
 * (or the failure) only through the fenced queue calls, so a worker that lost its lease writes nothing.
 */
export async function runJob(ctx: JobContext, job: ClaimedExtraction): Promise<void> {
  const log = ctx.log.child({
    jobId: job.jobId,
    documentId: job.documentId,
    attempt: job.attempt,
    fencingToken: job.fencingToken,
  });
  const lease = keepLease(ctx, job, log);
  try {
    log.info('job.claimed', { pid: process.pid });
    if (jobHooks.beforeExtract) await jobHooks.beforeExtract(job, lease.lost);
    const bytes = await ctx.store.read(job.objectKey);
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    let outcome: ExtractionOutcome;
    let text: DocumentText | null = null;
    if (bytes.byteLength !== job.sizeBytes || sha256 !== job.sha256) {
      outcome = {
        error: { code: 'corrupt', message: 'The stored object does not match the registered size and SHA-256.' },
      };
    } else {
      ({ outcome, text } = await ctx.sandbox.run(bytes));
    }
    if (isExtractionFailure(outcome)) {
      const reason = `${outcome.error.code}: ${outcome.error.message}`;
      const result = await ctx.queue.fail(job, reason, !RETRYABLE_CODES.has(outcome.error.code));
      log.info('job.failed', { code: outcome.error.code, outcome: result });
      return;
    }
    // Before the result: a document waiting for review always has its text beside it (a failed
    // write fails this attempt, which is retried like any other infrastructure error).
    if (text)
      await ctx.store.write(
        derivedTextKeyFor(job.objectKey),
        Readable.from([JSON.stringify(text)]),
        'application/json',
      );
    const written = await ctx.queue.complete(job, summarise(outcome));
    if (written) log.info('job.done', { pages: outcome.pages, ms: outcome.ms });
    else log.warn('job.stale_result_rejected');
  } catch (err) {
    const reason = `infrastructure: ${err instanceof Error ? err.message : String(err)}`;
    const result = await ctx.queue.fail(job, reason, false).catch((failErr: unknown) => {
      // The queue itself is unreachable: the lease runs out and the job is delivered again.
      log.warn('job.fail_unrecorded', errorFields(failErr));
      return 'unrecorded';
    });
    log.warn('job.error', { ...errorFields(err), outcome: result });
  } finally {
    lease.stop();
  }
}
