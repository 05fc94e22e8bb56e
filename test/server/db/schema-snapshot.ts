import type Database from 'better-sqlite3';
import type pg from 'pg';

/** What the parity test compares: the shape both migration sets build, in dialect-free terms. */
export interface SchemaSnapshot {
  /** `table.column` → `family null|not null default`. */
  columns: Record<string, string>;
  /** index name → `table(columns) unique? partial?` for indexes created by name (not by constraints). */
  indexes: Record<string, string>;
  /** `table: primary key (cols)` / `table: unique (cols)`. */
  keys: string[];
  /** `table.column -> table.column on delete ACTION`. */
  foreignKeys: string[];
  /** `table.trigger`. */
  triggers: string[];
}

/** The broad family of a declared type: what a query can rely on, whatever the dialect spells. */
export function typeFamily(declared: string): string {
  const t = declared.toLowerCase();
  if (/^(text|citext|character varying|varchar|character)/.test(t)) return 'text';
  if (/^(integer|bigint|smallint|int)/.test(t)) return 'integer';
  if (/^(real|double precision|numeric|float)/.test(t)) return 'real';
  return `other:${t}`;
}

// PostgreSQL spells a default with its cast ('{}'::text); SQLite as written ('{}').
function normaliseDefault(value: string | null): string {
  return value === null ? '' : ` default ${value.replace(/::[a-z ]+$/i, '')}`;
}

type Row = Record<string, unknown>;

function sqliteColumns(db: Database.Database, table: string, out: SchemaSnapshot): void {
  const cols = db.pragma(`table_info(${table})`) as Array<{
    name: string;
    type: string;
    notnull: number;
    dflt_value: string | null;
    pk: number;
  }>;
  const pkCols = cols.filter((c) => c.pk > 0);
  for (const c of cols) {
    // An INTEGER PRIMARY KEY alone is the rowid: generated, like a PostgreSQL identity.
    const identity = pkCols.length === 1 && c.pk === 1 && c.type.toUpperCase() === 'INTEGER';
    // Difference 4: a SQLite key column is not declared NOT NULL; PostgreSQL's key implies it.
    const notNull = c.notnull === 1 || c.pk > 0;
    const dflt = identity ? ' identity' : normaliseDefault(c.dflt_value);
    out.columns[`${table}.${c.name}`] = `${typeFamily(c.type)} ${notNull ? 'not null' : 'null'}${dflt}`;
  }
  if (pkCols.length) {
    const names = [...pkCols].sort((a, b) => a.pk - b.pk).map((c) => c.name);
    out.keys.push(`${table}: primary key (${names.join(', ')})`);
  }
}

function sqliteIndexes(db: Database.Database, table: string, out: SchemaSnapshot): void {
  const list = db.pragma(`index_list(${table})`) as Array<{
    name: string;
    unique: number;
    origin: string;
    partial: number;
  }>;
  for (const ix of list) {
    const cols = (db.pragma(`index_info(${ix.name})`) as Array<{ name: string }>).map((c) => c.name).join(', ');
    if (ix.origin === 'u') out.keys.push(`${table}: unique (${cols})`);
    if (ix.origin !== 'c') continue;
    out.indexes[ix.name] = `${table}(${cols})${ix.unique ? ' unique' : ''}${ix.partial ? ' partial' : ''}`;
  }
  const fks = db.pragma(`foreign_key_list(${table})`) as Array<{
    table: string;
    from: string;
    to: string;
    on_delete: string;
  }>;
  for (const fk of fks) out.foreignKeys.push(`${table}.${fk.from} -> ${fk.table}.${fk.to} on delete ${fk.on_delete}`);
}

export function sqliteSnapshot(db: Database.Database): SchemaSnapshot {
  const out: SchemaSnapshot = { columns: {}, indexes: {}, keys: [], foreignKeys: [], triggers: [] };
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>;
  for (const { name } of tables) {
    sqliteColumns(db, name, out);
    sqliteIndexes(db, name, out);
  }
  const triggers = db.prepare("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'").all() as Row[];
  out.triggers = triggers.map((t) => `${String(t.tbl_name)}.${String(t.name)}`);
  return sorted(out);
}

const PG_COLUMNS = `
SELECT table_name, column_name, CASE WHEN data_type = 'USER-DEFINED' THEN udt_name ELSE data_type END AS type,
       is_nullable, column_default, is_identity
FROM information_schema.columns WHERE table_schema = 'public'`;

// Indexes that do not back a primary key or unique constraint, with their columns in key order.
const PG_INDEXES = `
SELECT i.relname AS name, t.relname AS table_name, x.indisunique AS unique, x.indpred IS NOT NULL AS partial,
       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`;

const PG_CONSTRAINTS = `
SELECT c.contype, t.relname AS table_name, c.confdeltype,
       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
       r.relname AS ref_table,
       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS ref_columns
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
LEFT JOIN pg_class r ON r.oid = c.confrelid
WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')`;

const ON_DELETE: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

export async function postgresSnapshot(client: pg.ClientBase, ignoreTables: string[]): Promise<SchemaSnapshot> {
  const out: SchemaSnapshot = { columns: {}, indexes: {}, keys: [], foreignKeys: [], triggers: [] };
  const keep = (table: unknown) => !ignoreTables.includes(String(table));
  for (const c of (await client.query(PG_COLUMNS)).rows.filter((r: Row) => keep(r.table_name))) {
    const dflt = c.is_identity === 'YES' ? ' identity' : normaliseDefault(c.column_default);
    out.columns[`${c.table_name}.${c.column_name}`] =
      `${typeFamily(c.type)} ${c.is_nullable === 'NO' ? 'not null' : 'null'}${dflt}`;
  }
  for (const ix of (await client.query(PG_INDEXES)).rows.filter((r: Row) => keep(r.table_name))) {
    out.indexes[ix.name] =
      `${ix.table_name}(${ix.columns})${ix.unique ? ' unique' : ''}${ix.partial ? ' partial' : ''}`;
  }
  for (const c of (await client.query(PG_CONSTRAINTS)).rows.filter((r: Row) => keep(r.table_name))) {
    if (c.contype === 'p') out.keys.push(`${c.table_name}: primary key (${c.columns})`);
    if (c.contype === 'u') out.keys.push(`${c.table_name}: unique (${c.columns})`);
    if (c.contype === 'f') {
      out.foreignKeys.push(
        `${c.table_name}.${c.columns} -> ${c.ref_table}.${c.ref_columns} on delete ${ON_DELETE[c.confdeltype]}`,
      );
    }
  }
  const triggers = await client.query(
    "SELECT event_object_table AS t, trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = 'public'",
  );
  out.triggers = [...new Set(triggers.rows.map((r: Row) => `${String(r.t)}.${String(r.name)}`))];
  // Statement-level triggers (TRUNCATE) are not in information_schema.triggers.
  const statement = await client.query(
    'SELECT c.relname AS t, g.tgname AS name FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE NOT g.tgisinternal AND (g.tgtype & 1) = 0',
  );
  for (const r of statement.rows as Row[]) out.triggers.push(`${String(r.t)}.${String(r.name)}`);
  return sorted(out);
}

function sorted(s: SchemaSnapshot): SchemaSnapshot {
  const byKey = (r: Record<string, string>) =>
    Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
  return {
    columns: byKey(s.columns),
    indexes: byKey(s.indexes),
    keys: [...s.keys].sort(),
    foreignKeys: [...s.foreignKeys].sort(),
    triggers: [...new Set(s.triggers)].sort(),
  };
}
