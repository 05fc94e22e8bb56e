import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { makePdf } from '../helpers/pdf-fixtures';
import { storeClient } from '../helpers/server-db';
import { jobsOf } from '../helpers/server-restart';
import { openServerRows } from '../helpers/server-rows';
import { REPO_ROOT, TEST_DATABASE, startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

/**
 * How soon a dead worker's job goes to another. SQLite: the lease, which a live worker renews.
 * PostgreSQL: pg-boss's expiry, which nothing renews and so covers the whole job (the extraction's
 * deadline and the store's, plus 30 s: pgBossPolicyOf), enforced by its maintenance every 30 s; the
 * deadlines here are shortened so that comes within the test's deadline.
 */
const SHORT_LEASE: Record<string, string> =
  TEST_DATABASE === 'postgres'
    ? {
        CREDMATE_EXTRACTION_TIMEOUT_MS: '20000',
        CREDMATE_S3_CONNECT_TIMEOUT_MS: '1000',
        CREDMATE_S3_REQUEST_TIMEOUT_MS: '5000',
      }
    : { CREDMATE_JOB_LEASE_MS: '1500' };

const holdPath = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-hold-')), 'hold');

describe('the job worker process', () => {
  let srv: TestServer | undefined;
  afterEach(async () => {
    await srv?.stop();
  });

  const waitStatus = (token: string, id: string, status: string, deadlineMs = 90_000) =>
    waitFor(
      async () => {
        const d = (await srv!.api<DocumentDetail>(token, 'GET', `/documents/${id}`)).body;
        return d.status === status ? d : undefined;
      },
      deadlineMs,
      `${id} ${status}`,
    );

  it('completes a job exactly once after its worker is SIGKILLed mid-job and the lease expires', async () => {
    const hold = holdPath();
    fs.writeFileSync(hold, '');
    srv = await startTestServer({ holdFile: hold, env: SHORT_LEASE });
    const token = await srv.login();
    const { documentId } = await uploadBytes(srv, token, await makePdf('crash', 2));
    const first = await srv.waitForLog((l) => l.event === 'job.claimed' && l.documentId === documentId);
    process.kill(first.pid as number, 'SIGKILL');
    await srv.waitForLog((l) => l.event === 'worker.exited' && l.signal === 'SIGKILL');
    fs.rmSync(hold);

    // A deadline past pg-boss's expiry (some 62 s here) and its next maintenance (every 30 s).
    const done = await waitStatus(token, documentId, 'review_pending', 150_000);
    expect(done.attempts).toBe(2);
    const claims = srv.logs().filter((l) => l.event === 'job.claimed' && l.documentId === documentId);
    expect(claims.map((c) => c.fencingToken)).toEqual([1, 2]);
    expect(claims[1]!.pid).not.toBe(first.pid);
    const rows = openServerRows(srv);
    expect(
      await rows.get(
        'SELECT COUNT(*) AS n, MAX(fencing_token) AS token FROM extractions WHERE document_id = ?',
        documentId,
      ),
    ).toEqual({ n: 1, token: 2 });
    await rows.close();
    expect(await jobsOf(srv, documentId)).toEqual([{ state: 'done', attempts: 2 }]);
  }, 178_000);

  it('dead-letters a poison job after its attempts without blocking the others', async () => {
    const hold = holdPath();
    fs.writeFileSync(hold, '');
    srv = await startTestServer({
      holdFile: hold,
      env: { CREDMATE_JOB_MAX_ATTEMPTS: '3', CREDMATE_JOB_BACKOFF_BASE_MS: '200' },
    });
    const token = await srv.login();
    const poison = (await uploadBytes(srv, token, await makePdf('poison'))).documentId;
    const good = [
      (await uploadBytes(srv, token, await makePdf('good-1'))).documentId,
      (await uploadBytes(srv, token, await makePdf('good-2'))).documentId,
    ];
    // The poison document's object vanishes from the store: every attempt fails to fetch it.
    const rows = openServerRows(srv);
    const { object_key: key } = (await rows.get<{ object_key: string }>(
      'SELECT object_key FROM documents WHERE id = ?',
      poison,
    ))!;
    await rows.close();
    await storeClient(srv).send(new DeleteObjectCommand({ Bucket: srv.s3.bucket, Key: key }));
    fs.rmSync(hold);

    for (const id of good) await waitStatus(token, id, 'review_pending');
    const failed = await waitStatus(token, poison, 'failed');
    expect(failed.attempts).toBe(3);
    expect(failed.failureReason).toMatch(/^infrastructure:/);
    expect(await jobsOf(srv, poison)).toEqual([{ state: 'dead', attempts: 3 }]);
    const health = await fetch(`${srv.apiUrl}/health`);
    expect(((await health.json()) as { queue: { dead: number } }).queue.dead).toBe(1);
  }, 150_000);

  it('runs as a separately launched process from the worker-config file (the Electron path)', async () => {
    srv = await startTestServer({ env: { CREDMATE_WORKERS: '0' } });
    const token = await srv.login();
    const { documentId } = await uploadBytes(srv, token, await makePdf('external-worker'));
    const worker = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/jobs/worker-entry.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, CREDMATE_WORKER_CONFIG_FILE: path.join(srv.dataDir, 'server', 'worker-config.json') },
      stdio: 'ignore',
    });
    try {
      expect((await waitStatus(token, documentId, 'review_pending')).attempts).toBe(1);
    } finally {
      const exited = new Promise((resolve) => worker.once('exit', (code) => resolve(code)));
      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 150_000);

  it('reprocesses a document on request, and in bulk the documents a pipeline upgrade left outdated', async () => {
    srv = await startTestServer();
    const token = await srv.login();
    const { documentId } = await uploadBytes(srv, token, await makePdf('again'));
    await waitStatus(token, documentId, 'review_pending');
    const res = await srv.api(token, 'POST', `/documents/${documentId}/reprocess`);
    expect(res.status).toBe(202);
    const rows = openServerRows(srv);
    await waitFor(async () => {
      const { n } = (await rows.get<{ n: number }>(
        'SELECT COUNT(*) AS n FROM extractions WHERE document_id = ?',
        documentId,
      ))!;
      return n === 2 ? n : undefined;
    });
    expect((await waitStatus(token, documentId, 'review_pending')).attempts).toBe(2);

    // After a pipeline upgrade: only documents without an extraction by the running version are queued.
    const { documentId: other } = await uploadBytes(srv, token, await makePdf('again-2'));
    await waitStatus(token, other, 'review_pending');
    await rows.run("UPDATE extractions SET pipeline_version = 'old' WHERE document_id = ?", other);
    const bulk = await srv.api<{ queued: number }>(token, 'POST', '/reprocess', { scope: 'outdated' });
    expect(bulk).toMatchObject({ status: 202, body: { queued: 1 } });
    const latest = await waitFor(async () => {
      const row = (await rows.get<{ v: string }>(
        'SELECT pipeline_version AS v FROM extractions WHERE document_id = ? ORDER BY id DESC LIMIT 1',
        other,
      ))!;
      return row.v !== 'old' ? row.v : undefined;
    }, 90_000);
    await rows.close();
    expect(latest).not.toBe('old');
    expect((await srv.api<{ queued: number }>(token, 'POST', '/reprocess', { scope: 'outdated' })).body.queued).toBe(0);
  }, 150_000);

  it('reports the queue down (503) while no extraction worker is alive, and up again once the pool restarts it', async () => {
    srv = await startTestServer();
    const first = await srv.waitForLog((l) => l.event === 'worker.started');
    const health = async () => {
      const res = await fetch(`${srv!.apiUrl}/health`);
      return { status: res.status, body: (await res.json()) as { queue: { ok: boolean; error?: string } } };
    };
    expect((await health()).status).toBe(200);
    process.kill(first.pid as number, 'SIGKILL');
    // The pool waits at least 250 ms before restarting a dead worker: poll through that window.
    const down = await waitFor(
      async () => {
        const h = await health();
        return h.status === 503 ? h : undefined;
      },
      5_000,
      'a 503 while the worker is dead',
    );
    expect(down.body.queue).toMatchObject({ ok: false, error: 'No extraction worker is running.' });
    await srv.waitForLog((l) => l.event === 'worker.started' && l.pid !== first.pid);
    expect((await health()).status).toBe(200);
  }, 60_000);
});
