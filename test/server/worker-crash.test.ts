import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { makePdf } from '../helpers/pdf-fixtures';
import { openServerDb, storeClient } from '../helpers/server-db';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

const holdPath = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-hold-')), 'hold');

describe('the job worker process', () => {
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

  it('completes a job exactly once after its worker is SIGKILLed mid-job and the lease expires', async () => {
    const hold = holdPath();
    fs.writeFileSync(hold, '');
    srv = await startTestServer({ holdFile: hold, env: { CREDMATE_JOB_LEASE_MS: '1500' } });
    const token = await srv.login();
    const { documentId } = await uploadBytes(srv, token, await makePdf('crash', 2));
    const first = await srv.waitForLog((l) => l.event === 'job.claimed' && l.documentId === documentId);
    process.kill(first.pid as number, 'SIGKILL');
    await srv.waitForLog((l) => l.event === 'worker.exited' && l.signal === 'SIGKILL');
    fs.rmSync(hold);

    const done = await waitStatus(token, documentId, 'review_pending');
    expect(done.attempts).toBe(2);
    const claims = srv.logs().filter((l) => l.event === 'job.claimed' && l.documentId === documentId);
    expect(claims.map((c) => c.fencingToken)).toEqual([1, 2]);
    expect(claims[1]!.pid).not.toBe(first.pid);
    const db = openServerDb(srv);
    expect(
      db
        .prepare('SELECT COUNT(*) AS n, MAX(fencing_token) AS token FROM extractions WHERE document_id = ?')
        .get(documentId),
    ).toEqual({ n: 1, token: 2 });
    expect(db.prepare('SELECT state, attempts FROM jobs WHERE document_id = ?').get(documentId)).toEqual({
      state: 'done',
      attempts: 2,
    });
    db.close();
  }, 150_000);

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
    const db = openServerDb(srv);
    const { object_key: key } = db.prepare('SELECT object_key FROM documents WHERE id = ?').get(poison) as {
      object_key: string;
    };
    await storeClient(srv).send(new DeleteObjectCommand({ Bucket: srv.s3.bucket, Key: key }));
    fs.rmSync(hold);

    for (const id of good) await waitStatus(token, id, 'review_pending');
    const failed = await waitStatus(token, poison, 'failed');
    expect(failed.attempts).toBe(3);
    expect(failed.failureReason).toMatch(/^infrastructure:/);
    expect(db.prepare('SELECT state, attempts FROM jobs WHERE document_id = ?').get(poison)).toEqual({
      state: 'dead',
      attempts: 3,
    });
    db.close();
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
    await waitFor(async () => {
      const db = openServerDb(srv!);
      const n = (
        db.prepare('SELECT COUNT(*) AS n FROM extractions WHERE document_id = ?').get(documentId) as { n: number }
      ).n;
      db.close();
      return n === 2 ? n : undefined;
    });
    expect((await waitStatus(token, documentId, 'review_pending')).attempts).toBe(2);

    // After a pipeline upgrade: only documents without an extraction by the running version are queued.
    const { documentId: other } = await uploadBytes(srv, token, await makePdf('again-2'));
    await waitStatus(token, other, 'review_pending');
    const db = openServerDb(srv);
    db.prepare("UPDATE extractions SET pipeline_version = 'old' WHERE document_id = ?").run(other);
    const bulk = await srv.api<{ queued: number }>(token, 'POST', '/reprocess', { scope: 'outdated' });
    expect(bulk).toMatchObject({ status: 202, body: { queued: 1 } });
    const latest = await waitFor(async () => {
      const row = db
        .prepare('SELECT pipeline_version AS v FROM extractions WHERE document_id = ? ORDER BY id DESC LIMIT 1')
        .get(other) as { v: string };
      return row.v !== 'old' ? row.v : undefined;
    }, 90_000);
    db.close();
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
