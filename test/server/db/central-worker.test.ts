/**
 * `credmate worker --database-url` as a real process on the central deployment's parts: a throwaway
 * PostgreSQL, a standalone store (`credmate store`), pg-boss. A document written with its job (the
 * outbox hands the job to pg-boss) is extracted by the separate worker from the store's bytes, its
 * result written once through the document-store units, and the worker drains on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { unitsFor } from '../../../server/db/unit-runner';
import { affected, first, rows } from '../../../server/db/units';
import { insertDocument } from '../../../server/documents/document-store';
import { JobOutbox } from '../../../server/jobs/job-outbox';
import { PgBossQueue } from '../../../server/jobs/pg-boss-queue';
import { enqueueJob } from '../../../server/jobs/queue';
import { createLogger } from '../../../server/log';
import { objectKeyFor } from '../../../server/storage/object-keys';
import { createS3Client } from '../../../server/storage/s3-client';
import { makePdf } from '../../helpers/pdf-fixtures';
import { REPO_ROOT } from '../../helpers/test-server';
import { waitFor } from '../../helpers/upload-client';
import { openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

const CLI = path.join(REPO_ROOT, 'main/cli/index.ts');
const KEY = objectKeyFor('org', 'u-c1');
const KEYS = { CREDMATE_S3_ACCESS_KEY_ID: 'CENTRALKEY1', CREDMATE_S3_SECRET_ACCESS_KEY: 'central-secret-0123456789' };

describe('credmate worker on PostgreSQL', () => {
  let t: TestServerDatabase | undefined;
  const procs: ChildProcess[] = [];
  const stops: Array<() => Promise<void>> = [];
  let storeDir: string | undefined;
  afterEach(async () => {
    for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    for (const stop of stops.splice(0)) await stop();
    await t?.cleanup();
    if (storeDir) fs.rmSync(storeDir, { recursive: true, force: true });
  });

  function spawnCli(args: string[], env: Record<string, string>, stdout: 'pipe' | 'ignore') {
    const proc = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...KEYS, ...env },
      stdio: ['ignore', stdout, 'pipe'],
    });
    procs.push(proc);
    const logs: string[] = [];
    readline.createInterface({ input: proc.stderr! }).on('line', (l) => logs.push(l));
    return { proc, logs };
  }

  it('extracts a document queued in PostgreSQL from the standalone store, once, and drains on SIGTERM', async () => {
    t = await openTestServerDatabase('postgres');
    if (t.database.kind !== 'postgres' || !t.databaseUrl) throw new Error('expected PostgreSQL');
    const units = unitsFor(t.database);

    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-central-store-'));
    const store = spawnCli(['store', '--data-dir', storeDir, '--port', '0'], {}, 'pipe');
    const ready = await new Promise<string>((resolve) =>
      readline.createInterface({ input: store.proc.stdout! }).once('line', resolve),
    );
    const s3 = (JSON.parse(ready) as { s3: { endpoint: string; bucket: string; region: string } }).s3;

    const bytes = await makePdf('central worker', 1);
    const client = createS3Client(
      {
        endpoint: s3.endpoint,
        region: s3.region,
        forcePathStyle: true,
        credentials: {
          accessKeyId: KEYS.CREDMATE_S3_ACCESS_KEY_ID,
          secretAccessKey: KEYS.CREDMATE_S3_SECRET_ACCESS_KEY,
        },
      },
      { connectTimeoutMs: 5000, requestTimeoutMs: 30_000, maxAttempts: 2 },
    );
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: KEY, Body: bytes }));
    client.destroy();

    const jobNumber = await units.write(function* () {
      yield* affected((q) => q.insertInto('organizations').values({ id: 'org', name: 'Org', created_at: '' }));
      yield* insertDocument({
        id: 'c1',
        orgId: 'org',
        batchId: null,
        uploadId: 'u-c1',
        fileName: 'c1.pdf',
        sizeBytes: bytes.byteLength,
        sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        sha256VerifiedAt: new Date().toISOString(),
        provider: null,
        objectKey: KEY,
      });
      return yield* enqueueJob('c1', 3);
    });
    const relay = await PgBossQueue.start({
      connectionString: t.databaseUrl,
      maxAttempts: 3,
      backoffBaseSeconds: 1,
      expireInSeconds: 300,
    });
    stops.push(() => relay.stop());
    expect(await new JobOutbox(t.database.db, relay, createLogger('error', {})).relayAll()).toBe(1);

    const worker = spawnCli(
      ['worker', '--database-url', t.databaseUrl, '--s3-endpoint', s3.endpoint, '--s3-bucket', s3.bucket],
      { CREDMATE_LOG_LEVEL: 'info' },
      'ignore',
    );
    const done = await waitFor(
      async () => {
        const d = await units.read(() =>
          first((q) => q.selectFrom('documents').select(['status', 'pages']).where('id', '=', 'c1')),
        );
        // Failed is an answer too (the assertion below says so), not a reason to wait out the deadline.
        return d?.status === 'review_pending' || d?.status === 'failed' ? d : undefined;
      },
      150_000,
      'the worker to extract the document',
    ).catch((err: Error) => {
      throw new Error(`${err.message}; the worker's log:\n${worker.logs.slice(-10).join('\n')}`);
    });
    expect(done, worker.logs.slice(-5).join('\n')).toEqual({ status: 'review_pending', pages: 1 });
    expect(
      await units.read(() => rows((q) => q.selectFrom('extractions').select(['job_id', 'fencing_token']))),
    ).toEqual([{ job_id: jobNumber, fencing_token: 1 }]);
    expect(await relay.depth()).toEqual({ pending: 0, running: 0, dead: 0 });
    // The log names the database without its password.
    expect(worker.logs.join('\n')).not.toContain(new URL(t.databaseUrl).password || '\u0000');

    const exited = new Promise<number | null>((resolve) => worker.proc.once('exit', (code) => resolve(code)));
    worker.proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 180_000);
});
