/**
 * Issue 14, finding 7: the audit chain cannot be rewritten by whoever holds the database alone.
 * Each attack below is what the probe did (or the next step an attacker would take) on the real
 * server's database while the server runs; the plain SHA-256 chain verified `ok` after each of them.
 * Runs on both databases; what exists only in the embedded deployment (the audit.key file in the
 * data dir, rows from before the key) is in audit-key-file.test.ts.
 */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHeadKey } from '../../server/audit/audit-head-store';
import { objectExists, storeClient } from '../helpers/server-db';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { dropGuards, rehashPlain, someEvents, verify } from '../support/audit-tamper';

describe('audit chain: keyed, append-only, head kept in the object store', () => {
  let srv: TestServer;
  let token: string;
  let orgId: string;

  beforeAll(async () => {
    srv = await startTestServer();
    token = await srv.login();
    await someEvents(srv, token, 5);
    const rows = openServerRows(srv);
    orgId = (await rows.get<{ org_id: string }>('SELECT org_id FROM audit_heads'))!.org_id;
    await rows.close();
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('verifies its own chain and keeps its head in the object store', async () => {
    expect(await verify(srv, token)).toEqual({ ok: true, checked: 5, firstBadId: null });
    expect(await objectExists(storeClient(srv), srv.s3.bucket, auditHeadKey(orgId))).toBe(true);
  });

  it('refuses to change or delete an audit row through SQL', async () => {
    const rows = openServerRows(srv);
    // Through an async call: the SQLite side of openServerRows throws before it returns a promise.
    const attempt = async (sql: string) => rows.run(sql);
    try {
      await expect(attempt("UPDATE audit_events SET actor = 'x'")).rejects.toThrow(/append-only/);
      await expect(attempt('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    } finally {
      await rows.close();
    }
  });

  it('finds a middle row deleted and the chain recomputed without the key', async () => {
    const rows = openServerRows(srv);
    try {
      await dropGuards(rows, srv.database);
      // No request is in flight: the server appends nothing between these statements.
      await rows.run(
        'DELETE FROM audit_events WHERE id = (SELECT id FROM audit_events WHERE org_id = ? ORDER BY id LIMIT 1 OFFSET 2)',
        orgId,
      );
      await rehashPlain(rows, orgId);
    } finally {
      await rows.close();
    }
    const v = await verify(srv, token);
    expect(v).toMatchObject({ ok: false, firstBadId: expect.any(Number) });
    expect(v.reason).toMatch(/object store/);
  });
});

describe('audit chain: a cut tail with a rewritten audit_heads row', () => {
  let srv: TestServer;
  let token: string;

  beforeAll(async () => {
    srv = await startTestServer();
    token = await srv.login();
    await someEvents(srv, token, 4);
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('is found through the head in the object store, and later appends do not overwrite that head', async () => {
    expect((await verify(srv, token)).ok).toBe(true);
    const rows = openServerRows(srv);
    let lastId: number;
    try {
      const head = (await rows.get<{ org_id: string; last_id: number }>('SELECT org_id, last_id FROM audit_heads'))!;
      lastId = head.last_id;
      await dropGuards(rows, srv.database);
      // The last two events go; audit_heads points at what is now the last one, as a careful attacker would leave it.
      await rows.run('DELETE FROM audit_events WHERE org_id = ? AND id > ?', head.org_id, lastId - 2);
      const kept = (await rows.get<{ id: number; hash: string }>(
        'SELECT id, hash FROM audit_events WHERE org_id = ? ORDER BY id DESC LIMIT 1',
        head.org_id,
      ))!;
      await rows.run(
        'UPDATE audit_heads SET last_id = ?, last_hash = ? WHERE org_id = ?',
        kept.id,
        kept.hash,
        head.org_id,
      );
    } finally {
      await rows.close();
    }
    const v = await verify(srv, token);
    expect(v).toMatchObject({ ok: false, checked: 2, firstBadId: lastId });
    expect(v.reason).toMatch(/object store's chain head is event \d+, which the database no longer holds/);

    // The server goes on appending; the store keeps the head that proves the cut.
    await someEvents(srv, token, 1);
    expect(await verify(srv, token)).toMatchObject({ ok: false, firstBadId: lastId });
    await srv.waitForLog((l) => l.event === 'audit.head_mismatch');
  });

  it('reports a head deleted from the store', async () => {
    const rows = openServerRows(srv);
    const orgId = (await rows.get<{ org_id: string }>('SELECT org_id FROM audit_heads'))!.org_id;
    await rows.close();
    await storeClient(srv).send(new DeleteObjectCommand({ Bucket: srv.s3.bucket, Key: auditHeadKey(orgId) }));
    // Still cut (previous test); without the stored head the cut chain alone would look whole, so this must not say ok.
    const v = await verify(srv, token);
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/holds no chain head/);
  });
});

/** Stops the server's process only: on PostgreSQL stop() also drops its database and store, which a restart needs. */
async function stopProcess(srv: TestServer): Promise<void> {
  if (srv.proc.exitCode !== null || srv.proc.signalCode !== null) return;
  const gone = new Promise((resolve) => srv.proc.once('exit', resolve));
  srv.proc.kill('SIGTERM');
  await gone;
}

/**
 * Flags and variables that put a second server on the first one's database and store. The embedded
 * deployment keeps both in the data dir; a central one names them (last flag wins over the harness's).
 */
function sameDeployment(srv: TestServer): { args: string[]; env: Record<string, string> } {
  if (!srv.databaseUrl) return { args: [], env: {} };
  return {
    args: ['--database-url', srv.databaseUrl, '--s3-endpoint', srv.s3.endpoint, '--s3-bucket', srv.s3.bucket],
    env: { CREDMATE_S3_ACCESS_KEY_ID: srv.s3.accessKeyId, CREDMATE_S3_SECRET_ACCESS_KEY: srv.s3.secretAccessKey },
  };
}

describe('audit chain: key from CREDMATE_AUDIT_KEY', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-audit-envkey-'));
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers.reverse()) await s.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes no key file, and a server started with another key does not verify the chain', async () => {
    const first = await startTestServer({ dataDir, env: { CREDMATE_AUDIT_KEY: 'a'.repeat(40) } });
    servers.push(first);
    let token = await first.login();
    await someEvents(first, token, 2);
    expect((await verify(first, token)).ok).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'server', 'audit.key'))).toBe(false);
    await stopProcess(first);

    const same = sameDeployment(first);
    const second = await startTestServer({
      dataDir,
      args: same.args,
      env: { ...same.env, CREDMATE_AUDIT_KEY: 'b'.repeat(40) },
    });
    servers.push(second);
    token = await second.login();
    const v = await verify(second, token);
    expect(v).toMatchObject({ ok: false, firstBadId: 1 });
    expect(v.reason).toMatch(/another audit key/);
  });

  it('refuses to start with a short key, naming the variable', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-audit-shortkey-'));
    try {
      await expect(startTestServer({ dataDir: other, env: { CREDMATE_AUDIT_KEY: 'short' } })).rejects.toThrow(
        /CREDMATE_AUDIT_KEY has 5 characters/,
      );
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
