/**
 * `credmate server --database-url` as a real process on the central deployment's parts: a throwaway
 * PostgreSQL, a standalone store (`credmate store`), a user added with `credmate users add
 * --database-url`, no in-process worker. An upload through the HTTP API lands in PostgreSQL with its
 * job handed to pg-boss, on the change feed and in an audit chain that verifies; the server refuses
 * the embedded store with --database-url.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangesResponse, HealthResponse } from '../../../common/api';
import { makePdf } from '../../helpers/pdf-fixtures';
import { REPO_ROOT, runCli, startTestServer, type TestServer } from '../../helpers/test-server';
import { uploadBytes, waitFor } from '../../helpers/upload-client';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

const CLI = path.join(REPO_ROOT, 'main/cli/index.ts');
const KEYS = { CREDMATE_S3_ACCESS_KEY_ID: 'CENTRALKEY1', CREDMATE_S3_SECRET_ACCESS_KEY: 'central-secret-0123456789' };
const AUDIT = { CREDMATE_AUDIT_KEY: 'central-audit-key-0123456789abcdef0123456789' };
const USER = { org: 'Central Clinic', email: 'coordinator@central.example', password: 'a-long-central-password-1' };

describe('credmate server on PostgreSQL', () => {
  let pg: TestDatabase | undefined;
  let server: TestServer | undefined;
  let store: ChildProcess | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await server?.stop();
    store?.kill('SIGTERM');
    await pg?.drop();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  async function startStore(): Promise<{ endpoint: string; bucket: string; region: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-central-store-'));
    dirs.push(dir);
    store = spawn(process.execPath, ['--import', 'tsx', CLI, 'store', '--data-dir', dir, '--port', '0'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...KEYS },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ready = await new Promise<string>((resolve) =>
      readline.createInterface({ input: store!.stdout! }).once('line', resolve),
    );
    return (JSON.parse(ready) as { s3: { endpoint: string; bucket: string; region: string } }).s3;
  }

  /** A fresh PostgreSQL database and standalone store, a user added by `credmate users add --database-url`, and the server on them. */
  async function startCentralServer(workers: number): Promise<TestServer> {
    pg = await createTestDatabase();
    const s3 = await startStore();
    const userArgs = ['--org', USER.org, '--email', USER.email, '--password', USER.password, '--role', 'admin'];
    const added = await runCli(['users', 'add', '--database-url', pg.url, ...userArgs]);
    expect(added.code, added.stderr).toBe(0);
    return startTestServer({
      args: [
        '--database-url',
        pg.url,
        '--workers',
        String(workers),
        '--s3-endpoint',
        s3.endpoint,
        '--s3-bucket',
        s3.bucket,
      ],
      env: { ...KEYS, ...AUDIT },
    });
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
