import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../main/core/db/migrations';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

describe('migration 005 (documents match name)', () => {
  it("adds the matched provider's name to a version-4 mirror and reads the change feed again", () => {
    const db = new Database(`${tmp.dir}/m5.sqlite`);
    runMigrations(db, 4);
    const row = db.prepare(
      `INSERT INTO documents (id, batch_id, file_name, sha256, status, doc_type, provider, expiration_date, updated_at, change_seq, summary_json)
       VALUES (?, NULL, 'a.pdf', 'x', 'approved', NULL, NULL, NULL, '2026-01-01T00:00:00Z', ?, ?)`,
    );
    row.run('old', 1, JSON.stringify({ id: 'old' }));
    row.run('matched', 2, JSON.stringify({ id: 'matched', match: { providerName: 'Ashok K. Sehgal' } }));
    db.prepare("INSERT INTO sync_state (key, value) VALUES ('changes_cursor', '2')").run();
    expect(runMigrations(db)).toBe(5);
    // The feed is read again from the start: matches made before the server announced them come too.
    expect(db.prepare("SELECT value FROM sync_state WHERE key = 'changes_cursor'").get()).toBeUndefined();
    expect(db.prepare('SELECT id, match_name FROM documents ORDER BY id').all()).toEqual([
      { id: 'matched', match_name: 'Ashok K. Sehgal' },
      { id: 'old', match_name: null },
    ]);
  });
});
