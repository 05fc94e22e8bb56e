/**
 * The embedded deployment's job lease (SQLite's jobs table): a worker renews the lease of the job
 * it holds, so a job running past its lease time is never taken by a second, idle worker. pg-boss
 * (PostgreSQL) has no renewal; its expiry covers a whole job instead (pg-boss-queue.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { makePdf } from '../helpers/pdf-fixtures';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

const holdPath = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-hold-')), 'hold');

describe('the job lease', () => {
  let srv: TestServer | undefined;
  afterEach(async () => {
    await srv?.stop();
  });

  const waitStatus = (token: string, id: string, status: string) =>
    waitFor(
      async () => {
        const d = (await srv!.api<DocumentDetail>(token, 'GET', `/documents/${id}`)).body;
        return d.status === status ? d : undefined;
      },
      90_000,
      `${id} ${status}`,
    );

  it('keeps a job past its lease time by renewing, so a second idle worker never takes it', async () => {
    const hold = holdPath();
    fs.writeFileSync(hold, '');
    srv = await startTestServer({
      holdFile: hold,
      env: { CREDMATE_JOB_LEASE_MS: '1200', CREDMATE_WORKERS: '2' },
    });
    const token = await srv.login();
    const { documentId } = await uploadBytes(srv, token, await makePdf('long-job'));
    await srv.waitForLog((l) => l.event === 'job.claimed' && l.documentId === documentId);
    await srv.waitForLog(
      (l) => l.event === 'worker.started' && srv!.logs().filter((x) => x.event === 'worker.started').length >= 2,
    );
    // Held for several lease periods while the other worker polls for runnable jobs.
    await new Promise((r) => setTimeout(r, 4000));
    fs.rmSync(hold);
    const done = await waitStatus(token, documentId, 'review_pending');
    expect(done.attempts).toBe(1);
    expect(srv.logs().filter((l) => l.event === 'job.claimed' && l.documentId === documentId)).toHaveLength(1);
    expect(srv.logs().some((l) => l.event === 'job.lease_lost')).toBe(false);
  }, 150_000);
});
