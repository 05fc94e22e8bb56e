import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/test-server';

/**
 * Issue 15, item 2: one writer per table, and routes without SQL. Each table's writes stay in the
 * module that owns it (documents and their change sequence in document-store.ts, so no writer can
 * forget the sequence the desktop mirror follows).
 */
const OWNERS: Record<string, string[]> = {
  documents: ['server/documents/document-store.ts'],
  document_tombstones: ['server/documents/document-store.ts'],
  extractions: ['server/documents/document-store.ts'],
  counters: ['server/documents/document-store.ts'],
  jobs: ['server/jobs/queue.ts'],
  uploads: ['server/uploads/upload-rows.ts'],
  batches: ['server/batches/batch-stats.ts'],
  providers: ['server/providers/provider-store.ts'],
  provider_identifiers: ['server/providers/provider-store.ts'],
  cme_topic_overrides: ['server/providers/provider-store.ts'],
  provider_matches: ['server/providers/match-store.ts'],
  expiry_notices: ['server/providers/expiry-notices.ts'],
};

const MIGRATIONS = ['server/db/migrations', 'server/db/pg/migrations'];

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    // Migrations (SQLite's and their PostgreSQL twins) shape tables once; they are not writers.
    if (e.isDirectory()) return MIGRATIONS.includes(rel) ? [] : sources(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

describe('table owners', () => {
  const files = sources('server').map((f) => ({ f, text: fs.readFileSync(path.join(REPO_ROOT, f), 'utf8') }));

  it.each(Object.entries(OWNERS))('only its owner writes %s', (table, owners) => {
    // Every form of write, conflict clauses included (INSERT OR IGNORE, UPDATE OR IGNORE, REPLACE INTO).
    const write = new RegExp(
      `\\b(UPDATE(\\s+OR\\s+\\w+)?|INSERT(\\s+OR\\s+\\w+)?\\s+INTO|REPLACE\\s+INTO|DELETE\\s+FROM)\\s+${table}\\b|\\b(insertInto|replaceInto|updateTable|deleteFrom)\\(\\s*'${table}\\b`,
    );
    const writers = files.filter(({ text }) => write.test(text)).map(({ f }) => f);
    expect(writers.sort()).toEqual([...owners].sort());
  });

  it('routes hold no SQL: they validate, call an owner and shape the answer', () => {
    const withSql = files
      .filter(({ f }) => f.startsWith('server/routes/'))
      .filter(({ text }) => /\.(prepare|exec|transaction)\(/.test(text))
      .map(({ f }) => f);
    expect(withSql).toEqual([]);
  });
});
