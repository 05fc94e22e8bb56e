/**
 * `credmate worker` as its own process beside `credmate server --workers 0`: real processes, a real
 * PDF uploaded through the API, extracted by the separate worker; a worker SIGKILLed mid-job
 * (supervisor and worker process together, as a machine or cgroup dies) leaves its job to a second
 * worker once the lease runs out, and the result is written once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { makePdf } from '../helpers/pdf-fixtures';
import { openServerDb } from '../helpers/server-db';
import { REPO_ROOT, runCli, startTestServer, type LogLine, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

const CLI = path.join(REPO_ROOT, 'main/cli/index.ts');
const HOLD_PRELOAD = pathToFileURL(path.join(REPO_ROOT, 'test/helpers/worker-hold-preload.mjs')).href;
const JOBS_ENV = { CREDMATE_JOB_LEASE_MS: '1500', CREDMATE_JOB_POLL_MS: '200' };

interface WorkerProcess {
  proc: ChildProcess;
  logs: LogLine[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/**
 * Starts `credmate worker` in a process group of its own, so a test can SIGKILL the supervisor and
 * its worker processes at once. `holdFile`: its workers hold a claimed job while the file exists.
 */
function startWorker(args: string[], env: Record<string, string>, holdFile?: string): WorkerProcess {
  const preload = holdFile ? ['--import', HOLD_PRELOAD] : [];
  const proc = spawn(process.execPath, ['--import', 'tsx', ...preload, CLI, 'worker', ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      CREDMATE_LOG_LEVEL: 'info',
      ...env,
      ...(holdFile ? { CREDMATE_TEST_HOLD_FILE: holdFile } : {}),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const logs: LogLine[] = [];
  readline.createInterface({ input: proc.stderr! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      logs.push({ event: 'stderr', line });
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanup.push(() => {
    if (proc.exitCode === null && proc.signalCode === null) process.kill(-proc.pid!, 'SIGKILL');
  });
  return { proc, logs, exited };
}

const documentStatus = async (srv: TestServer, token: string, id: string) =>
  (await srv.api<DocumentDetail>(token, 'GET', `/documents/${id}`)).body;

describe('credmate worker', () => {
  it('extracts for a server with no workers; a SIGKILLed worker leaves its job to a second one, written once', async () => {
    const srv = await startTestServer({ args: ['--workers', '0'], env: JOBS_ENV });
    cleanup.push(() => srv.stop());
    const token = await srv.login();
    const holdFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-hold-')), 'hold');
    fs.writeFileSync(holdFile, '');
    cleanup.push(() => fs.rmSync(path.dirname(holdFile), { recursive: true, force: true }));

    // Embedded storage: the worker finds the server's store through the data dir.
    const first = startWorker(['--data-dir', srv.dataDir], JOBS_ENV, holdFile);
    const { documentId } = await uploadBytes(srv, token, await makePdf('separate worker', 2));
    await waitFor(
      async () => (first.logs.some((l) => l.event === 'job.claimed' && l.documentId === documentId) ? true : undefined),
      120_000,
      'the first worker to claim the job',
    );
    expect(first.logs.find((l) => l.event === 'workers.ready')).toMatchObject({ concurrency: 1 });
    expect((await documentStatus(srv, token, documentId)).status).toBe('processing');

    const second = startWorker(['--data-dir', srv.dataDir, '--concurrency', '2'], JOBS_ENV);
    await waitFor(
      async () => (second.logs.filter((l) => l.event === 'worker.started').length === 2 ? true : undefined),
      120_000,
      'the second worker processes to start',
    );
    // The machine dies: supervisor and worker process together, mid-job.
    process.kill(-first.proc.pid!, 'SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });

    const done = await waitFor(
      async () => {
        const d = await documentStatus(srv, token, documentId);
        return d.status === 'review_pending' ? d : undefined;
      },
      120_000,
      'the second worker to extract the document',
    );
    expect(done.pages).toBe(2);
    const db = openServerDb(srv);
    expect(db.prepare('SELECT state, attempts FROM jobs WHERE document_id = ?').all(documentId)).toEqual([
      { state: 'done', attempts: 2 },
    ]);
    expect(db.prepare('SELECT fencing_token FROM extractions WHERE document_id = ?').all(documentId)).toEqual([
      { fencing_token: 2 },
    ]);
    db.close();
    expect(second.logs.filter((l) => l.event === 'job.done' && l.documentId === documentId)).toHaveLength(1);

    // SIGTERM: the supervisor drains its workers and exits 0.
    second.proc.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.logs.some((l) => l.event === 'workers.stopped')).toBe(true);
  }, 180_000);

  it('reads the store named by the storage options: a standalone `credmate store`', async () => {
    const keys = { CREDMATE_S3_ACCESS_KEY_ID: 'WORKERKEY1', CREDMATE_S3_SECRET_ACCESS_KEY: 'worker-secret-0123456789' };
    const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-worker-store-'));
    cleanup.push(() => fs.rmSync(storeDir, { recursive: true, force: true }));
    const store = spawn(process.execPath, ['--import', 'tsx', CLI, 'store', '--data-dir', storeDir, '--port', '0'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...keys },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    cleanup.push(() => store.exitCode === null && store.signalCode === null && store.kill('SIGKILL'));
    const ready = await new Promise<string>((resolve) =>
      readline.createInterface({ input: store.stdout! }).once('line', resolve),
    );
    const { endpoint, bucket } = (JSON.parse(ready) as { s3: { endpoint: string; bucket: string } }).s3;

    const srv = await startTestServer({
      args: ['--workers', '0'],
      env: {
        ...keys,
        ...JOBS_ENV,
        CREDMATE_S3_ENDPOINT: endpoint,
        CREDMATE_S3_BUCKET: bucket,
        CREDMATE_LOCAL_ACCOUNT: '1',
      },
    });
    cleanup.push(() => srv.stop());
    // No embedded store to find: the worker is told where the store is, as the server was.
    expect(fs.existsSync(path.join(srv.dataDir, 'server', 'objects'))).toBe(false);
    const worker = startWorker(['--data-dir', srv.dataDir, '--s3-endpoint', endpoint, '--s3-bucket', bucket], {
      ...keys,
      ...JOBS_ENV,
    });
    const token = await srv.login();
    const { documentId } = await uploadBytes(srv, token, await makePdf('worker and standalone store', 1));
    const done = await waitFor(
      async () => {
        const d = await documentStatus(srv, token, documentId);
        return d.status === 'review_pending' ? d : undefined;
      },
      120_000,
      'the worker to extract from the standalone store',
    );
    expect(done.pages).toBe(1);
    expect(worker.logs.find((l) => l.event === 'workers.ready')).toMatchObject({ storage: endpoint });

    // A worker pointed at a bucket the store does not have refuses to start, naming it.
    const wrong = await runCli(
      ['worker', '--data-dir', srv.dataDir, '--s3-endpoint', endpoint, '--s3-bucket', 'no-such-bucket'],
      keys,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('bucket "no-such-bucket"');
    worker.proc.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  }, 180_000);

  it('refuses --database-url without a store, a data dir with no server database and a bad --concurrency, saying what to do', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-worker-empty-'));
    cleanup.push(() => fs.rmSync(empty, { recursive: true, force: true }));
    const [pgRefused, noDb, badCount] = await Promise.all([
      runCli(['worker', '--database-url', 'postgres://credmate:secret@db.example:5432/credmate']),
      runCli(['worker', '--data-dir', empty]),
      runCli(['worker', '--data-dir', empty, '--concurrency', '0']),
    ]);
    expect(pgRefused.code).toBe(1);
    // On PostgreSQL the worker runs anywhere, but needs the deployment's store (no embedded one to find).
    expect(pgRefused.stderr).toContain('A worker on PostgreSQL');
    expect(pgRefused.stderr).toContain('--s3-endpoint');
    expect(pgRefused.stderr).not.toContain('secret');
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toContain(`No server database in ${empty}`);
    expect(badCount.code).toBe(1);
    expect(badCount.stderr).toContain('--concurrency must be a whole number from 1 to 16');
  }, 120_000);
});
