/**
 * The SQLite query layer runs on a connection of its own (kysely.ts): another request's synchronous
 * write on the server's better-sqlite3 handle, made while a Kysely transaction awaits, must be its
 * own transaction, not a savepoint inside the Kysely one that that transaction's rollback undoes.
 * A real SQLite file, the real schema.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeQueryLayer, queryLayer } from '../../../server/db/kysely';
import { openDatabase, type Db } from '../../../server/db/open';

describe('the SQLite query layer beside the better-sqlite3 handle', () => {
  let dir: string;
  let handle: Db;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-query-layer-'));
    handle = openDatabase(dir);
  });
  afterEach(async () => {
    await closeQueryLayer(handle);
    handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps another request's write made while a Kysely transaction awaits, when that transaction rolls back", async () => {
    const insert = handle.prepare('INSERT INTO login_attempts (key_hash) VALUES (?)');
    const kysely = queryLayer(handle);
    const rolledBack = kysely.transaction().execute(async (trx) => {
      await trx.selectFrom('login_attempts').selectAll().execute();
      // Awaiting real I/O lets the event loop serve another request meanwhile.
      await sleep(50);
      throw new Error('the Kysely step fails');
    });
    // Another request, on the handle, while the Kysely transaction is open: answered once committed.
    await sleep(10);
    handle.transaction(() => insert.run('other-request'))();
    await expect(rolledBack).rejects.toThrow('the Kysely step fails');
    const rows = handle.prepare('SELECT key_hash FROM login_attempts').all();
    expect(rows).toEqual([{ key_hash: 'other-request' }]);
  });

  it("sees the handle's committed writes and the handle sees its own", async () => {
    handle.prepare('INSERT INTO login_attempts (key_hash) VALUES (?)').run('from-handle');
    const kysely = queryLayer(handle);
    await kysely.insertInto('login_attempts').values({ key_hash: 'from-kysely' }).execute();
    const seen = await kysely.selectFrom('login_attempts').select('key_hash').orderBy('key_hash').execute();
    expect(seen.map((r) => r.key_hash)).toEqual(['from-handle', 'from-kysely']);
    expect(handle.prepare("SELECT count(*) AS n FROM login_attempts WHERE key_hash = 'from-kysely'").get()).toEqual({
      n: 1,
    });
  });
});
