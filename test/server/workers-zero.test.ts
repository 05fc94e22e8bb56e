/**
 * `credmate server --workers 0` runs no in-process extraction worker: an uploaded document stays
 * queued; the same state (data dir; on PostgreSQL its database and store) restarted with a worker
 * extracts it, exactly once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentDetail, HealthResponse } from '../../common/api';
import { makePdf } from '../helpers/pdf-fixtures';
import { jobsOf, startOnSameState, stopKeepingState } from '../helpers/server-restart';
import { openServerRows } from '../helpers/server-rows';
import { runCli, startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

/** The processes whose parent is `pid` (ps exits 1 when there are none). */
function childrenOf(pid: number): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim());
  } catch (err) {
    if ((err as { status?: number }).status === 1) return [];
    throw err;
  }
}

describe('credmate server --workers 0', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-workers0-'));
  let first: TestServer | undefined;
  let srv: TestServer | undefined;
  afterAll(async () => {
    if (srv !== first) await srv?.stop();
    await first?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves an upload queued with no worker, and a restart with a worker extracts it exactly once', async () => {
    srv = first = await startTestServer({ dataDir, args: ['--workers', '0'] });
    expect(await srv.waitForLog((l) => l.event === 'server.ready')).toMatchObject({ workers: 0 });
    const token = await srv.login();
    const { documentId, complete } = await uploadBytes(srv, token, await makePdf('no worker yet', 2));
    expect(complete?.body.status).toBe('uploaded');

    // No worker process exists to take the job: the server has no child processes at all.
    expect(childrenOf(srv.proc.pid!)).toEqual([]);
    const doc = (await srv.api<DocumentDetail>(token, 'GET', `/documents/${documentId}`)).body;
    expect(doc.status).toBe('uploaded');
    // Health stays ok (no worker is the configuration, not a fault) and shows the waiting job.
    const health = await fetch(`${srv.apiUrl}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as HealthResponse).queue).toMatchObject({ ok: true, pending: 1, running: 0 });
    expect(await jobsOf(srv, documentId)).toEqual([{ state: 'queued', attempts: 0 }]);
    expect(srv.logs().filter((l) => l.event === 'job.claimed')).toEqual([]);
    expect(await stopKeepingState(srv)).toBe(0);

    // The same state with the default worker count (1).
    srv = await startOnSameState(first);
    expect(await srv.waitForLog((l) => l.event === 'server.ready')).toMatchObject({ workers: 1 });
    const token2 = await srv.login();
    const done = await waitFor(
      async () => {
        const d = (await srv!.api<DocumentDetail>(token2, 'GET', `/documents/${documentId}`)).body;
        return d.status === 'review_pending' ? d : undefined;
      },
      90_000,
      'the queued document extracted',
    );
    expect(done.pages).toBe(2);
    const rows = openServerRows(srv);
    expect(await rows.get('SELECT COUNT(*) AS n FROM extractions WHERE document_id = ?', documentId)).toEqual({ n: 1 });
    await rows.close();
    expect(await jobsOf(srv, documentId)).toEqual([{ state: 'done', attempts: 1 }]);
    expect(srv.logs().filter((l) => l.event === 'job.claimed' && l.documentId === documentId)).toHaveLength(1);
  }, 180_000);

  it('is listed in the command help; a negative or too large count is refused naming CREDMATE_WORKERS', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toContain('--workers 0');
    const serverHelp = await runCli(['server', '--help']);
    expect(serverHelp.stdout).toMatch(/--workers\s+CREDMATE_WORKERS/);
    for (const n of ['-1', '17']) {
      const out = await runCli(['server', '--data-dir', dataDir, '--port', '0', '--workers', n]);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('CREDMATE_WORKERS');
    }
  }, 90_000);
});
