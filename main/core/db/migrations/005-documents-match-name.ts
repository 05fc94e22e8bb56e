import type Database from 'better-sqlite3';

/**
 * The matched provider's name of each mirrored document (issue 18), for the Documents search: read
 * out of summary_json with json_extract, it cost every search about 17 ms more per 10,000
 * documents (a JSON parse per row, twice: the page and the total); a column costs what the file
 * name's LIKE does. Rows mirrored before the server sent matches have none: the change feed is
 * read again from the start (its cursor dropped), so every document comes back with the match the
 * server holds now, those matched before the server announced matches on the feed included.
 */
export function migrate005DocumentsMatchName(db: Database.Database): void {
  db.exec(`
    ALTER TABLE documents ADD COLUMN match_name TEXT;
    UPDATE documents SET match_name = json_extract(summary_json, '$.match.providerName');
    DELETE FROM sync_state WHERE key = 'changes_cursor';
  `);
}
