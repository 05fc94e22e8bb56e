/**
 * Preloaded (`--import`, after tsx's) into a test server by startTestServer({ holdFile }), and
 * inherited by the job workers it forks. In a worker process it installs the job hook of
 * server/jobs/job-hooks.ts: while the hold file exists, a claimed job waits (its lease renewed as
 * usual) before its document is read. The polling is here, in the test harness, never in the server.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainThread } from 'node:worker_threads';

const holdFile = process.env.CREDMATE_TEST_HOLD_FILE;
// Only a job worker process (the pool hands it its config in this variable), never a thread.
if (holdFile && isMainThread && process.env.CREDMATE_WORKER_CONFIG) {
  const { jobHooks } = await import(new URL('../../server/jobs/job-hooks.ts', import.meta.url).href);
  jobHooks.beforeExtract = async (_job, leaseLost) => {
    while (fs.existsSync(holdFile) && !leaseLost()) await sleep(50);
  };
}
