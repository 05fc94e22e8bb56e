/** Past this many distinct statements (SQL built with variable IN lists) the cache starts over. */
const MAX_CACHED = 256;

/**
 * Makes `db.prepare(sql)` of a better-sqlite3 database return one compiled statement per SQL
 * text instead of compiling it on every call: under load, re-preparing was the largest single
 * CPU cost of a request (~10% of the API process in bench:ingest). Safe because nothing here
 * changes a statement's mode (pluck/raw/expand) and better-sqlite3 statements are reusable;
 * `pragma()` does not go through `prepare`. (Typed structurally: common/ stays free of SQLite.)
 */
export function cachePreparedStatements<D extends { prepare(sql: string): unknown }>(db: D): D {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, unknown>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= MAX_CACHED) cache.clear();
      statement = compile(sql);
      cache.set(sql, statement);
    }
    return statement;
  }) as D['prepare'];
  return db;
}
