import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HealthResponse, type DocumentDetail } from '../../common/api';
import { readLocalAccount } from '../../node-shared/local-account-file';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../server/storage/s3-client';
import { makePdf } from '../helpers/pdf-fixtures';
import { objectExists, storeClient } from '../helpers/server-db';
import { startTestServer } from '../helpers/test-server';
import { uploadBytes } from '../helpers/upload-client';

describe('server lifecycle', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-life-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('answers both health routes with database, storage and queue state', async () => {
    const srv = await startTestServer({ dataDir });
    try {
      for (const route of ['/health', '/api/health']) {
        const res = await fetch(`${srv.apiUrl}${route}`);
        expect(res.status).toBe(200);
        const body = HealthResponse.parse(await res.json());
        expect(body).toMatchObject({
          status: 'ok',
          database: { ok: true },
          storage: { ok: true },
          queue: { ok: true, pending: 0, running: 0, dead: 0 },
        });
      }
      const account = readLocalAccount(dataDir)!;
      expect(account.email).toBe('local@credmate.localhost');
      expect(fs.statSync(path.join(dataDir, 'server', 'local-account.json')).mode & 0o777).toBe(0o600);
    } finally {
      expect(await srv.stop('SIGINT')).toBe(0);
    }
  });

  it('uses the embedded store keys from the environment when given, and writes none to disk', async () => {
    const keys = { CREDMATE_S3_ACCESS_KEY_ID: 'OPERATORKEY1', CREDMATE_S3_SECRET_ACCESS_KEY: 'operator-secret-key-1' };
    const srv = await startTestServer({ env: keys });
    try {
      expect(fs.existsSync(path.join(srv.dataDir, 'server', 's3-keys.json'))).toBe(false);
      const s3 = storeClient(srv);
      await s3.send(new PutObjectCommand({ Bucket: srv.s3.bucket, Key: 'tool/probe.txt', Body: 'x' }));
      expect(await objectExists(s3, srv.s3.bucket, 'tool/probe.txt')).toBe(true);
      const wrong = createS3Client(
        {
          endpoint: srv.s3.endpoint,
          region: srv.s3.region,
          forcePathStyle: true,
          credentials: { accessKeyId: 'OPERATORKEY1', secretAccessKey: 'not-the-secret' },
        },
        { connectTimeoutMs: 2000, requestTimeoutMs: 5000, maxAttempts: 1 },
      );
      await expect(
        wrong.send(new PutObjectCommand({ Bucket: srv.s3.bucket, Key: 'tool/x.txt', Body: 'x' })),
      ).rejects.toThrow(/signature does not match/i);
    } finally {
      expect(await srv.stop()).toBe(0);
    }
  });

  it('drains a running job on SIGTERM, exits 0, and keeps state and keys across a restart', async () => {
    const hold = path.join(dataDir, 'hold');
    fs.writeFileSync(hold, '');
    const first = await startTestServer({ dataDir, holdFile: hold });
    const token = await first.login();
    const { documentId } = await uploadBytes(first, token, await makePdf('drain'));
    await first.waitForLog((l) => l.event === 'job.claimed' && l.documentId === documentId);
    const stopped = first.stop('SIGTERM');
    await first.waitForLog((l) => l.event === 'server.draining');
    fs.rmSync(hold);
    expect(await stopped).toBe(0);
    expect(first.logs().some((l) => l.event === 'job.done' && l.documentId === documentId)).toBe(true);

    const second = await startTestServer({ dataDir });
    try {
      expect(second.s3.accessKeyId).toBe(first.s3.accessKeyId);
      const again = await second.login();
      const doc = (await second.api<DocumentDetail>(again, 'GET', `/documents/${documentId}`)).body;
      expect(doc).toMatchObject({ status: 'review_pending', attempts: 1 });
      // The old session survives a restart too: sessions live in the database.
      expect((await second.api(token, 'GET', '/batches')).status).toBe(200);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
