/**
 * `credmate store` as a real process, and `credmate server` using it as its external S3 endpoint
 * (issue 19's standalone store).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { parseReadyLine, parseStoreReadyLine, type StoreReadyLine } from '../../node-shared/ready-line';
import { createS3Client } from '../../server/storage/s3-client';
import { makePdf } from '../helpers/pdf-fixtures';
import { openServerDb } from '../helpers/server-db';
import { REPO_ROOT, runCli, startTestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

/** s3rver's own layout of its objects directory (the store's files, read here to see where the bytes went). */
const FilesystemStore = createRequire(import.meta.url)('s3rver/lib/stores/filesystem') as new (dir: string) => {
  getResourcePath(bucket: string, key: string, resource: string): string;
};
const CLI = path.join(REPO_ROOT, 'main/cli/index.ts');
const KEYS = {
  CREDMATE_S3_ACCESS_KEY_ID: 'STANDALONEKEY1',
  CREDMATE_S3_SECRET_ACCESS_KEY: 'standalone-secret-0123456789',
};

interface StoreProcess {
  proc: ChildProcess;
  ready: StoreReadyLine;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};
const running: ChildProcess[] = [];

/** Starts `credmate store` (sources through tsx, as the test server helper does) and waits for its ready line. */
async function startStore(args: string[], env: Record<string, string>): Promise<StoreProcess> {
  const base = { ...process.env };
  delete base.CREDMATE_S3_ACCESS_KEY_ID;
  delete base.CREDMATE_S3_SECRET_ACCESS_KEY;
  const proc = spawn(process.execPath, ['--import', 'tsx', CLI, 'store', ...args], {
    cwd: REPO_ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(proc);
  let stdout = '';
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const firstLine = new Promise<string>((resolve) =>
    readline.createInterface({ input: proc.stdout! }).once('line', (l) => resolve(l)),
  );
  proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => proc.once('exit', (code, signal) => setImmediate(() => resolve({ code, signal, stdout, stderr }))),
  );
  const line = await Promise.race([
    firstLine,
    exited.then((e) => {
      throw new Error(`store exited (${e.code}) before its ready line:\n${e.stderr}`);
    }),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`store not ready within 30 s:\n${stderr}`)), 30_000),
    ),
  ]);
  const ready = parseStoreReadyLine(line);
  if (!ready) throw new Error(`not a store ready line: ${line}`);
  return { proc, ready, exited };
}

/** Resolves whether a TCP connection to the endpoint is accepted. */
function accepts(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const s = net.connect(Number(port), hostname);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

afterAll(() => {
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('credmate store', () => {
  it('serves a server as its external S3 endpoint: a PDF uploaded through the API is extracted', async () => {
    const storeDir = tmp('credmate-store-');
    const store = await startStore(['--data-dir', storeDir, '--port', '0'], KEYS);
    expect(store.ready).toEqual({
      event: 'ready',
      s3: { endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), bucket: 'credmate', region: 'us-east-1' },
    });
    // Not a server's ready line: a client waiting for a server never takes the store's line for one.
    expect(parseReadyLine(JSON.stringify(store.ready))).toBeNull();
    // The keys came from the environment: none generated.
    expect(fs.existsSync(path.join(storeDir, 'server', 's3-keys.json'))).toBe(false);

    const srv = await startTestServer({
      env: {
        ...KEYS,
        CREDMATE_S3_ENDPOINT: store.ready.s3.endpoint,
        CREDMATE_S3_BUCKET: store.ready.s3.bucket,
        CREDMATE_LOCAL_ACCOUNT: '1',
      },
    });
    try {
      expect(srv.s3.endpoint).toBe(store.ready.s3.endpoint);
      const token = await srv.login();
      const { documentId } = await uploadBytes(srv, token, await makePdf('standalone store', 2));
      const doc = await waitFor(
        async () => {
          const d = (await srv.api<DocumentDetail>(token, 'GET', `/documents/${documentId}`)).body;
          return d.status === 'review_pending' ? d : undefined;
        },
        90_000,
        'the document extracted',
      );
      expect(doc.pages).toBe(2);
      // The bytes live in the store's data dir, not the server's.
      const db = openServerDb(srv);
      const { object_key: key } = db.prepare('SELECT object_key FROM documents WHERE id = ?').get(documentId) as {
        object_key: string;
      };
      db.close();
      const files = new FilesystemStore(path.join(storeDir, 'server', 'objects'));
      expect(fs.statSync(files.getResourcePath('credmate', key, 'object')).size).toBeGreaterThan(0);
      expect(fs.existsSync(path.join(srv.dataDir, 'server', 'objects'))).toBe(false);
    } finally {
      await srv.stop();
    }

    // A server configured with another bucket is refused at start, naming the bucket.
    const refused = await runCli(
      ['server', '--data-dir', tmp('credmate-store-srv-'), '--port', '0', '--s3-endpoint', store.ready.s3.endpoint],
      { ...KEYS, CREDMATE_S3_BUCKET: 'not-the-store-bucket' },
      30_000,
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('bucket "not-the-store-bucket"');
    expect(refused.stderr).toContain(store.ready.s3.endpoint);

    // SIGTERM stops the store cleanly: exit 0, one stdout line in all, the port closed.
    store.proc.kill('SIGTERM');
    const end = await store.exited;
    expect(end).toMatchObject({ code: 0, signal: null });
    expect(end.stdout.trim().split('\n')).toHaveLength(1);
    expect(end.stderr).toContain('"event":"store.stopped"');
    expect(await accepts(store.ready.s3.endpoint)).toBe(false);
  }, 180_000);

  it('without keys in the environment generates them as the embedded mode does; listens on --host; stops on SIGINT', async () => {
    const storeDir = tmp('credmate-store-');
    // 127.0.0.2 is loopback too (Linux routes 127/8 to lo) but not the thread's own address: the relay serves it.
    const store = await startStore(
      ['--data-dir', storeDir, '--port', '0', '--host', '127.0.0.2', '--bucket', 'site-docs'],
      {},
    );
    expect(store.ready.s3).toMatchObject({
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.2:\d+$/),
      bucket: 'site-docs',
    });
    const keysFile = path.join(storeDir, 'server', 's3-keys.json');
    expect(fs.statSync(keysFile).mode & 0o777).toBe(0o600);
    const keys = JSON.parse(fs.readFileSync(keysFile, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    const client = (credentials: typeof keys) =>
      createS3Client(
        { endpoint: store.ready.s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials },
        { connectTimeoutMs: 3000, requestTimeoutMs: 10_000, maxAttempts: 1 },
      );
    const good = client(keys);
    const head = await good.send(new HeadBucketCommand({ Bucket: 'site-docs' }));
    expect(head.$metadata.httpStatusCode).toBe(200);
    good.destroy();
    // Requests through the relay are still checked: other keys are refused.
    const bad = client({ accessKeyId: keys.accessKeyId, secretAccessKey: 'wrong-secret' });
    const status = await bad.send(new HeadBucketCommand({ Bucket: 'site-docs' })).then(
      () => 200,
      (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode,
    );
    bad.destroy();
    expect(status).toBe(403);

    store.proc.kill('SIGINT');
    expect(await store.exited).toMatchObject({ code: 0, signal: null });
    expect(await accepts(store.ready.s3.endpoint)).toBe(false);
  }, 60_000);

  it('refuses half a key pair, a missing --data-dir or --port, and a server data dir, saying what to set', async () => {
    const dir = tmp('credmate-store-');
    const half = await runCli(['store', '--data-dir', dir, '--port', '0'], {
      CREDMATE_S3_ACCESS_KEY_ID: 'ONLYTHEID',
      CREDMATE_S3_SECRET_ACCESS_KEY: '',
    });
    expect(half.code).toBe(1);
    expect(half.stdout).toBe('');
    expect(half.stderr).toContain('set both CREDMATE_S3_ACCESS_KEY_ID and CREDMATE_S3_SECRET_ACCESS_KEY');

    const noDir = await runCli(['store', '--port', '0'], KEYS);
    expect(noDir.code).toBe(1);
    expect(noDir.stderr).toContain('--data-dir is required');
    const noPort = await runCli(['store', '--data-dir', dir], KEYS);
    expect(noPort.code).toBe(1);
    expect(noPort.stderr).toContain('--port is required');

    fs.mkdirSync(path.join(dir, 'server'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'server', 'credmate.sqlite'), '');
    const serverDir = await runCli(['store', '--data-dir', dir, '--port', '0'], KEYS);
    expect(serverDir.code).toBe(1);
    expect(serverDir.stderr).toContain("is a server's data dir");
  }, 90_000);
});
