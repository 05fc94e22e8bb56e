/**
 * `credmate server --database-url` as a real process on the central deployment's parts: a throwaway
 * PostgreSQL, a standalone store (`credmate store`), a user added with `credmate users add
 * --database-url`, no in-process worker. An upload through the HTTP API lands in PostgreSQL with its
 * job handed to pg-boss, on the change feed and in an audit chain that verifies; the server refuses
 * the embedded store with --database-url.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangesResponse, HealthResponse } from '../../../common/api';
import { makePdf } from '../../helpers/pdf-fixtures';
import { runCli, startTestServer, type TestServer } from '../../helpers/test-server';
import { uploadBytes, waitFor } from '../../helpers/upload-client';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

const KEYS = { CREDMATE_S3_ACCESS_KEY_ID: 'CENTRALKEY1', CREDMATE_S3_SECRET_ACCESS_KEY: 'central-secret-0123456789' };
const AUDIT = { CREDMATE_AUDIT_KEY: 'central-audit-key-0123456789abcdef0123456789' };
const USER = { org: 'Central Clinic', email: 'coordinator@central.example', password: 'a-long-central-password-1' };

describe('credmate server on PostgreSQL', () => {
  let pg: TestDatabase | undefined;
  let server: TestServer | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await pg?.drop();
    pg = undefined;
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /**
   * The server on a fresh PostgreSQL database and standalone store (startTestServer's central parts),
   * without the local account, and a user added by `credmate users add --database-url` (addUser).
   */
  async function startCentralServer(workers: number): Promise<TestServer> {
    const srv = await startTestServer({
      database: 'postgres',
      args: ['--workers', String(workers)],
      env: { CREDMATE_LOCAL_ACCOUNT: 'false' },
    });
    server = srv;
    await srv.addUser({ ...USER, role: 'admin' });
    return srv;
  }

  it('takes an upload into PostgreSQL: document, job for pg-boss, change feed and audit chain', async () => {
    server = await startCentralServer(0);
    const token = await server.login(USER.email, USER.password);
    const bytes = await makePdf('central upload', 1);
    const up = await uploadBytes(server, token, bytes, { fileName: 'central.pdf' });
    const again = await uploadBytes(server, token, bytes, { fileName: 'central-again.pdf' });
    expect(again.documentId).toBe(up.documentId);

    const health = await waitFor(
      async () => {
        const res = await fetch(`${server!.apiUrl}/health`);
        const body = (await res.json()) as HealthResponse;
        return body.queue.pending === 1 ? { status: res.status, body } : undefined;
      },
      30_000,
      'the job handed to pg-boss',
    );
    expect(health.status).toBe(200);
    const feed = await server.api<ChangesResponse>(token, 'GET', '/changes?since=0');
    expect(feed.status).toBe(200);
    expect(feed.body.documents.map((d) => d.id)).toEqual([up.documentId]);
    expect(feed.body.documents[0]).toMatchObject({ fileName: 'central.pdf', status: 'uploaded' });
    const verdict = await server.api<{ ok: boolean; checked: number }>(token, 'GET', '/audit/verify');
    expect(verdict.body).toMatchObject({ ok: true });
    expect(verdict.body.checked).toBeGreaterThanOrEqual(1);
  });

  it('extracts with its in-process workers, which take the jobs from pg-boss', async () => {
    server = await startCentralServer(1);
    const token = await server.login(USER.email, USER.password);
    const up = await uploadBytes(server, token, await makePdf('central in-process worker', 1));
    const doc = await waitFor(
      async () => {
        const d = await server!.api<{ status: string }>(token, 'GET', `/documents/${up.documentId}`);
        return d.body.status === 'review_pending' ? d.body : undefined;
      },
      90_000,
      'the extraction',
    );
    expect(doc.status).toBe('review_pending');
  });

  it('refuses what cannot be shared by several API processes: the embedded store, a key file per data dir', async () => {
    pg = await createTestDatabase();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-server-pg-'));
    dirs.push(dir);
    const embedded = await runCli(['server', '--data-dir', dir, '--port', '0', '--database-url', pg.url], AUDIT);
    expect(embedded.code).toBe(1);
    expect(embedded.stderr).toMatch(/With --database-url \(PostgreSQL\) give the document store/);
    const store = ['--s3-endpoint', 'http://127.0.0.1:9', '--s3-bucket', 'credmate'];
    const keyless = await runCli(
      ['server', '--data-dir', dir, '--port', '0', '--database-url', pg.url, ...store],
      KEYS,
    );
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toMatch(/set CREDMATE_AUDIT_KEY .* the same for every API process/);
    for (const r of [embedded, keyless]) expect(r.stderr).not.toContain(new URL(pg.url).password || 'never-matches');
    // Refused before anything was written to the data dir.
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
