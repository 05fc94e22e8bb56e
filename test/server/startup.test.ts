import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { createS3Client } from '../../server/storage/s3-client';
import { makePdf } from '../helpers/pdf-fixtures';
import '../helpers/server-db';
import { runCli, startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

/** A TCP server that accepts connections and never answers: the failure mode that hung the seed system. */
async function blackHole(): Promise<{ endpoint: string; close(): void }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('start-up checks', () => {
  let store: TestServer;
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-startup-'));
    dirs.push(d);
    return d;
  };
  const externalEnv = (endpoint: string, bucket: string, keys = store.s3) => ({
    CREDMATE_STORAGE: 's3',
    CREDMATE_S3_ENDPOINT: endpoint,
    CREDMATE_S3_BUCKET: bucket,
    CREDMATE_S3_ACCESS_KEY_ID: keys.accessKeyId,
    CREDMATE_S3_SECRET_ACCESS_KEY: keys.secretAccessKey,
  });
  // On PostgreSQL each refused start is given the running server's database and audit key, so only its store is wrong.
  const serve = (env: Record<string, string>) =>
    runCli(
      ['server', '--data-dir', tmp(), '--port', '0', ...(store.database === 'postgres' ? store.databaseArgs : [])],
      { ...store.cliEnv, ...env },
      30_000,
    );

  beforeAll(async () => {
    store = await startTestServer();
  });
  afterAll(async () => {
    await store.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('refuses a missing bucket with one line naming bucket, endpoint and error', async () => {
    const out = await serve(externalEnv(store.s3.endpoint, 'no-such-bucket'));
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    const lines = out.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"no-such-bucket"');
    expect(lines[0]).toContain(store.s3.endpoint);
    expect(lines[0]).toMatch(/NotFound|404/);
  });

  it('refuses an unknown access key', async () => {
    const out = await serve({
      ...externalEnv(store.s3.endpoint, store.s3.bucket),
      CREDMATE_S3_ACCESS_KEY_ID: 'UNKNOWNKEY',
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/bucket "credmate" at endpoint http:\/\/127\.0\.0\.1:\d+: .*403/);
  });

  it('refuses an unreachable endpoint', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const out = await serve(externalEnv(endpoint, 'credmate'));
    expect(out.code).toBe(1);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain(endpoint);
    expect(out.stderr).toMatch(/ECONNREFUSED/);
  });

  it('refuses a black-holed endpoint instead of hanging', async () => {
    const hole = await blackHole();
    try {
      const out = await serve(externalEnv(hole.endpoint, 'credmate'));
      expect(out.code).toBe(1);
      expect(out.stderr).toContain(hole.endpoint);
      expect(out.stderr).toMatch(/no answer within|timeout|timed out/i);
    } finally {
      hole.close();
    }
  });

  it('refuses an invalid configuration naming the variable', async () => {
    const out = await serve({ CREDMATE_JOB_LEASE_MS: 'soon' });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('CREDMATE_JOB_LEASE_MS');
    const conflicting = await serve({ CREDMATE_STORAGE: 'embedded', CREDMATE_S3_ENDPOINT: 'http://127.0.0.1:9' });
    expect(conflicting.code).toBe(1);
    expect(conflicting.stderr).toMatch(/CREDMATE_S3_ENDPOINT is set but CREDMATE_STORAGE=embedded/);
  });

  it('serves uploads against an external S3 endpoint and reports storage down on /health when it goes away', async () => {
    const other = await startTestServer();
    try {
      const srv = await startTestServer({
        // Also as flags: on PostgreSQL they override the test server's own standalone store.
        args: ['--s3-endpoint', other.s3.endpoint, '--s3-bucket', other.s3.bucket],
        env: { ...externalEnv(other.s3.endpoint, other.s3.bucket, other.s3), CREDMATE_LOCAL_ACCOUNT: '1' },
      });
      try {
        expect(srv.s3.endpoint).toBe(other.s3.endpoint);
        const up = await fetch(`${srv.apiUrl}/api/health`);
        expect(up.status).toBe(200);
        expect(await up.json()).toMatchObject({
          status: 'ok',
          database: { ok: true },
          storage: { ok: true },
          queue: { ok: true },
        });
        // The whole upload path over the S3 API (create, complete, HeadObject; the worker's GetObject).
        const token = await srv.login();
        const { documentId, register } = await uploadBytes(srv, token, await makePdf('external', 2));
        // A store that cannot refuse overwrites of completed objects never gets a plain PUT URL.
        expect(register.body).toMatchObject({ outcome: 'upload', partCount: 1, mode: 'multipart' });
        const doc = await waitFor(async () => {
          const d = (await srv.api<DocumentDetail>(token, 'GET', `/documents/${documentId}`)).body;
          return d.status === 'review_pending' ? d : undefined;
        });
        expect(doc.pages).toBe(2);
        await other.stop();
        await new Promise((r) => setTimeout(r, 2100));
        const down = await fetch(`${srv.apiUrl}/health`);
        expect(down.status).toBe(503);
        expect(await down.json()).toMatchObject({ status: 'down', storage: { ok: false } });
      } finally {
        await srv.stop();
      }
    } finally {
      await other.stop();
    }
  });
});

describe('S3 client deadlines', () => {
  it('fails a call to a black-holed endpoint at its request deadline instead of hanging', async () => {
    const hole = await blackHole();
    const client = createS3Client(
      {
        endpoint: hole.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      },
      { connectTimeoutMs: 500, requestTimeoutMs: 500, maxAttempts: 1 },
    );
    try {
      await expect(client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))).rejects.toThrow(/timeout|timed out/i);
    } finally {
      client.destroy();
      hole.close();
    }
  });
});
