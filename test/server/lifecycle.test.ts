/**
 * The server's life: its health routes, its local account, and a graceful stop that drains the
 * running job, then a restart on the same state. The embedded store's keys: embedded-store-keys.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HealthResponse, type DocumentDetail } from '../../common/api';
import { readLocalAccount } from '../../node-shared/local-account-file';
import { makePdf } from '../helpers/pdf-fixtures';
import { startOnSameState, stopKeepingState } from '../helpers/server-restart';
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

  it('drains a running job on SIGTERM, exits 0, and keeps state and keys across a restart', async () => {
    const hold = path.join(dataDir, 'hold');
    fs.writeFileSync(hold, '');
    // A drain deadline for a loaded machine (the default 10 s kills a slow extraction): not a measure.
    const first = await startTestServer({ dataDir, holdFile: hold, env: { CREDMATE_DRAIN_TIMEOUT_MS: '90000' } });
    const token = await first.login();
    const { documentId } = await uploadBytes(first, token, await makePdf('drain'));
    await first.waitForLog((l) => l.event === 'job.claimed' && l.documentId === documentId);
    const stopped = stopKeepingState(first, 'SIGTERM');
    await first.waitForLog((l) => l.event === 'server.draining');
    fs.rmSync(hold);
    expect(await stopped).toBe(0);
    expect(first.logs().some((l) => l.event === 'job.done' && l.documentId === documentId)).toBe(true);

    // The same state again: the data dir (SQLite, the embedded store's keys); on PostgreSQL its database and store.
    const second = await startOnSameState(first);
    try {
      expect(second.s3.accessKeyId).toBe(first.s3.accessKeyId);
      const again = await second.login();
      const doc = (await second.api<DocumentDetail>(again, 'GET', `/documents/${documentId}`)).body;
      expect(doc).toMatchObject({ status: 'review_pending', attempts: 1 });
      // The old session survives a restart too: sessions live in the database.
      expect((await second.api(token, 'GET', '/batches')).status).toBe(200);
    } finally {
      expect(await second.stop()).toBe(0);
      await first.stop();
    }
  });
});
