import type Database from 'better-sqlite3';

/**
 * Searchable terms the extraction read from each document (names, credential numbers, activity
 * titles), which the change feed's summaries do not carry: an FTS5 index (prefix queries, case and
 * accent folded) plus, on the mirror's row, the person's name for the Provider column and the
 * change sequence the terms were read at (older than the row's: read them again).
 */
export function migrate003DocumentTerms(db: Database.Database): void {
  db.exec(`
    CREATE VIRTUAL TABLE document_terms USING fts5(
      document_id UNINDEXED,
      person,
      numbers,
      titles,
      tokenize = 'unicode61 remove_diacritics 2',
      prefix = '2 3'
    );
    ALTER TABLE documents ADD COLUMN person_name TEXT;
    ALTER TABLE documents ADD COLUMN terms_seq INTEGER;
  `);
}
