/**
 * Issue 14, finding 7: the audit chain cannot be rewritten by whoever holds the database file
 * alone. Each attack below is what the probe did (or the next step an attacker would take) on the
 * real server's SQLite file while the server runs; the plain SHA-256 chain verified `ok` after
 * each of them.
 */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHeadKey } from '../../server/audit/audit-head-store';
import { openDatabase } from '../../server/db/open';
import * as m001 from '../../server/db/migrations/001-initial';
import * as m002 from '../../server/db/migrations/002-document-tombstones';
import * as m003 from '../../server/db/migrations/003-verified-hashes';
import { objectExists, openServerDb, storeClient } from '../helpers/server-db';
import { startTestServer, type TestServer } from '../helpers/test-server';

interface Verification {
  ok: boolean;
  checked: number;
  firstBadId: number | null;
  reason?: string;
}

type Row = {
  id: number;
  org_id: string;
  at: string;
  actor: string | null;
  action: string;
  document_id: string | null;
  details_json: string;
};

/** The chain as it was before the key (version 1): what anyone with the file can compute. */
function plainHash(r: Row, prev: string): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([r.id, r.org_id, r.at, r.actor, r.action, r.document_id, r.details_json, prev]))
    .digest('hex');
}

/** The probe's rewrite: every row of the organisation re-hashed as a plain chain, and its head set to the last row. */
function rehashPlain(db: Database.Database, orgId: string): void {
  let prev = '0'.repeat(64);
  let last = 0;
  for (const r of db.prepare('SELECT * FROM audit_events WHERE org_id = ? ORDER BY id').all(orgId) as Row[]) {
    const hash = plainHash(r, prev);
    db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ?, chain_version = 1 WHERE id = ?').run(prev, hash, r.id);
    prev = hash;
    last = r.id;
  }
  db.prepare('UPDATE audit_heads SET last_id = ?, last_hash = ? WHERE org_id = ?').run(last, prev, orgId);
}

/** Whoever holds the file can drop the append-only triggers first. */
const dropGuards = (db: Database.Database) =>
  db.exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;');

async function someEvents(srv: TestServer, token: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) expect((await srv.api(token, 'POST', '/batches', { name: `b${i}` })).status).toBe(201);
}

const verify = async (srv: TestServer, token: string) =>
  (await srv.api<Verification>(token, 'GET', '/audit/verify')).body;

describe('audit chain: keyed, append-only, head kept in the object store', () => {
  let srv: TestServer;
  let token: string;
  let orgId: string;

  beforeAll(async () => {
    srv = await startTestServer();
    token = await srv.login();
    await someEvents(srv, token, 5);
    const db = openServerDb(srv);
    orgId = (db.prepare('SELECT org_id FROM audit_heads').get() as { org_id: string }).org_id;
    db.close();
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('makes a 0600 key file on first start and verifies its own chain', async () => {
    const keyFile = path.join(srv.dataDir, 'server', 'audit.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await verify(srv, token)).toEqual({ ok: true, checked: 5, firstBadId: null });
    expect(await objectExists(storeClient(srv), srv.s3.bucket, auditHeadKey(orgId))).toBe(true);
  });

  it('refuses to change or delete an audit row through SQL', () => {
    const db = openServerDb(srv);
    try {
      expect(() => db.prepare("UPDATE audit_events SET actor = 'x'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('finds a middle row deleted and the chain recomputed without the key', async () => {
    const db = openServerDb(srv);
    try {
      dropGuards(db);
      db.transaction(() => {
        db.prepare(
          'DELETE FROM audit_events WHERE id = (SELECT id FROM audit_events WHERE org_id = ? ORDER BY id LIMIT 1 OFFSET 2)',
        ).run(orgId);
        rehashPlain(db, orgId);
      })();
    } finally {
      db.close();
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
    const db = openServerDb(srv);
    let orgId: string;
    let lastId: number;
    try {
      ({ org_id: orgId, last_id: lastId } = db.prepare('SELECT org_id, last_id FROM audit_heads').get() as {
        org_id: string;
        last_id: number;
      });
      dropGuards(db);
      // The last two events go; audit_heads points at what is now the last one, as a careful attacker would leave it.
      db.transaction(() => {
        db.prepare('DELETE FROM audit_events WHERE org_id = ? AND id > ?').run(orgId, lastId - 2);
        const kept = db
          .prepare('SELECT id, hash FROM audit_events WHERE org_id = ? ORDER BY id DESC LIMIT 1')
          .get(orgId) as { id: number; hash: string };
        db.prepare('UPDATE audit_heads SET last_id = ?, last_hash = ? WHERE org_id = ?').run(kept.id, kept.hash, orgId);
      })();
    } finally {
      db.close();
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
    const db = openServerDb(srv);
    const orgId = (db.prepare('SELECT org_id FROM audit_heads').get() as { org_id: string }).org_id;
    db.close();
    await storeClient(srv).send(new DeleteObjectCommand({ Bucket: srv.s3.bucket, Key: auditHeadKey(orgId) }));
    // Still cut (previous test); without the stored head the cut chain alone would look whole, so this must not say ok.
    const v = await verify(srv, token);
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/holds no chain head/);
  });
});

describe('audit chain: rows from before the key', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-audit-legacy-'));
  let srv: TestServer | undefined;
  afterAll(async () => {
    await srv?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('verify after a keyed checkpoint, which anchors them against a rewrite', async () => {
    // A database as the server before this change left it (schema 3), with a plain chain of three events.
    const db = openDatabase(dataDir, { migrate: false });
    db.exec(m001.up);
    db.exec(m002.up);
    db.exec(m003.up);
    db.pragma('user_version = 3');
    db.prepare(
      "INSERT INTO organizations (id, name, created_at) VALUES ('org-legacy', 'Local', '2025-01-01T00:00:00.000Z')",
    ).run();
    let prev = '0'.repeat(64);
    for (const id of [1, 2, 3]) {
      const r: Row = {
        id,
        org_id: 'org-legacy',
        at: `2025-01-0${id}T00:00:00.000Z`,
        actor: 'old@x.test',
        action: 'batch.created',
        document_id: null,
        details_json: '{}',
      };
      const hash = plainHash(r, prev);
      db.prepare(
        'INSERT INTO audit_events (id, org_id, at, actor, action, document_id, details_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(id, r.org_id, r.at, r.actor, r.action, r.document_id, r.details_json, prev, hash);
      prev = hash;
    }
    db.prepare("INSERT INTO audit_heads (org_id, last_id, last_hash) VALUES ('org-legacy', 3, ?)").run(prev);
    db.close();

    srv = await startTestServer({ dataDir });
    const token = await srv.login();
    expect(await verify(srv, token)).toEqual({ ok: true, checked: 4, firstBadId: null });
    const events = (await srv.api<{ events: Array<{ id: number; action: string }> }>(token, 'GET', '/audit?limit=1'))
      .body.events;
    expect(events).toEqual([expect.objectContaining({ id: 4, action: 'audit.chain_keyed' })]);

    // Rewriting an old row and re-hashing the unkeyed part breaks the link to the keyed checkpoint.
    const raw = openServerDb(srv);
    try {
      dropGuards(raw);
      let p = '0'.repeat(64);
      for (const r of raw.prepare('SELECT * FROM audit_events WHERE id <= 3 ORDER BY id').all() as Row[]) {
        const changed = { ...r, actor: r.id === 2 ? 'someone-else@x.test' : r.actor };
        const hash = plainHash(changed, p);
        raw
          .prepare('UPDATE audit_events SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?')
          .run(changed.actor, p, hash, r.id);
        p = hash;
      }
    } finally {
      raw.close();
    }
    expect(await verify(srv, token)).toMatchObject({ ok: false, firstBadId: 4 });
  });
});

describe('audit chain: key from CREDMATE_AUDIT_KEY', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-audit-envkey-'));
  let srv: TestServer | undefined;
  afterAll(async () => {
    await srv?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes no key file, and a server started with another key does not verify the chain', async () => {
    srv = await startTestServer({ dataDir, env: { CREDMATE_AUDIT_KEY: 'a'.repeat(40) } });
    let token = await srv.login();
    await someEvents(srv, token, 2);
    expect((await verify(srv, token)).ok).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'server', 'audit.key'))).toBe(false);
    await srv.stop();

    srv = await startTestServer({ dataDir, env: { CREDMATE_AUDIT_KEY: 'b'.repeat(40) } });
    token = await srv.login();
    const v = await verify(srv, token);
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
