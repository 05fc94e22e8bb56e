import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../main/core/db/migrations';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

describe('migration 003 (document terms)', () => {
  it('adds the FTS5 index and the term columns to a version-2 mirror, keeping its rows unindexed', () => {
    const db = new Database(`${tmp.dir}/m3.sqlite`);
    runMigrations(db, 2);
    db.prepare(
      "INSERT INTO documents (id, file_name, sha256, status, updated_at, change_seq, summary_json) VALUES ('d', 'a.pdf', 'x', 'approved', 'now', 3, '{}')",
    ).run();
    expect(runMigrations(db, 3)).toBe(3);
    // Existing rows have no terms yet: the indexer reads them.
    expect(db.prepare("SELECT person_name, terms_seq FROM documents WHERE id = 'd'").get()).toEqual({
      person_name: null,
      terms_seq: null,
    });
    db.prepare(
      "INSERT INTO document_terms (document_id, person, numbers, titles) VALUES ('d', 'José Álvarez', 'FA1234563', '')",
    ).run();
    const hit = (q: string) =>
      (
        db.prepare('SELECT document_id FROM document_terms WHERE document_terms MATCH ?').all(q) as {
          document_id: string;
        }[]
      ).map((r) => r.document_id);
    expect(hit('jose')).toEqual(['d']);
    expect(hit('alv*')).toEqual(['d']);
    expect(hit('fa1234563')).toEqual(['d']);
    // The document id is stored, not searched.
    expect(hit('d')).toEqual([]);
    db.close();
  });
});
