/**
 * The embedded deployment's side of the keyed audit chain (issue 14, finding 7): the key made as a
 * file in the data dir when CREDMATE_AUDIT_KEY is not set, and rows an earlier version wrote to the
 * SQLite file before there was a key. A central deployment has neither (its key comes from
 * CREDMATE_AUDIT_KEY, and PostgreSQL support came after the key), so this file runs on SQLite only;
 * the attacks on the chain itself run on both databases in audit-keyed-chain.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/open';
import * as m001 from '../../server/db/migrations/001-initial';
import * as m002 from '../../server/db/migrations/002-document-tombstones';
import * as m003 from '../../server/db/migrations/003-verified-hashes';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { dropGuards, plainHash, someEvents, verify, type AuditRow } from '../support/audit-tamper';

describe('audit key file (embedded deployment)', () => {
  let srv: TestServer | undefined;
  afterAll(async () => {
    await srv?.stop();
  });

  it('makes a 0600 key file on first start and verifies its own chain', async () => {
    srv = await startTestServer({ database: 'sqlite' });
    const token = await srv.login();
    await someEvents(srv, token, 5);
    const keyFile = path.join(srv.dataDir, 'server', 'audit.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await verify(srv, token)).toEqual({ ok: true, checked: 5, firstBadId: null });
  });
});

/** A database as the server before the key left it (schema 3), with a plain chain of three events. */
function writeLegacyDatabase(dataDir: string): void {
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
    const r: AuditRow = {
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
}

describe('audit chain: rows from before the key', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-audit-legacy-'));
  let srv: TestServer | undefined;
  afterAll(async () => {
    await srv?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('verify after a keyed checkpoint, which anchors them against a rewrite', async () => {
    writeLegacyDatabase(dataDir);
    srv = await startTestServer({ dataDir, database: 'sqlite' });
    const token = await srv.login();
    expect(await verify(srv, token)).toEqual({ ok: true, checked: 4, firstBadId: null });
    const events = (await srv.api<{ events: Array<{ id: number; action: string }> }>(token, 'GET', '/audit?limit=1'))
      .body.events;
    expect(events).toEqual([expect.objectContaining({ id: 4, action: 'audit.chain_keyed' })]);

    // Rewriting an old row and re-hashing the unkeyed part breaks the link to the keyed checkpoint.
    const rows = openServerRows(srv);
    try {
      await dropGuards(rows, srv.database);
      let p = '0'.repeat(64);
      for (const r of await rows.all<AuditRow>('SELECT * FROM audit_events WHERE id <= 3 ORDER BY id')) {
        const changed = { ...r, actor: r.id === 2 ? 'someone-else@x.test' : r.actor };
        const hash = plainHash(changed, p);
        await rows.run(
          'UPDATE audit_events SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?',
          changed.actor,
          p,
          hash,
          r.id,
        );
        p = hash;
      }
    } finally {
      await rows.close();
    }
    expect(await verify(srv, token)).toMatchObject({ ok: false, firstBadId: 4 });
  });
});
