/**
 * A unit: the statements of one transaction (or one consistent read), written once as Kysely
 * builders and run on either database.
 *
 * Why generators and not async functions: on SQLite the API process commits many writers together
 * in one synchronous better-sqlite3 transaction (group-commit.ts), and a write that awaited between
 * its statements would let another request's write run inside its transaction. A unit yields each
 * statement instead of awaiting it: on SQLite runUnitOnHandle answers every statement at once, so
 * the whole unit runs synchronously inside the caller's transaction; on PostgreSQL
 * runUnitOnPostgres awaits each statement on the transaction's connection. The unit's code is the
 * same for both.
 *
 *   function* uploadState(id: string): Unit<string | undefined> {
 *     return (yield* first((q) => q.selectFrom('uploads').select('state').where('id', '=', id)))?.state;
 *   }
 *
 * Units compose with `yield*`. Inside a unit, await nothing and do no I/O but its statements: the
 * unit may run again from the start (a PostgreSQL serialization failure is retried) and, on SQLite,
 * runs while the database is locked for writing. A failed statement is thrown into the unit. On
 * PostgreSQL it also aborts the transaction, so a unit that means to catch a statement's failure
 * and go on runs that statement with `attempt` (inside a savepoint there); catching any other
 * failed statement and going on is refused at the end of the unit, on both databases.
 */
import {
  CompiledQuery,
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type Compilable,
} from 'kysely';
import type { DatabaseKind } from './kysely';
import type { Db } from './open';
import type { DatabaseSchema } from './schema';

type Builder<R> = (q: Kysely<DatabaseSchema>) => Compilable<R>;

/** Stands for a prepared statement's parameter `name` while the statement is compiled. */
class Marker {
  constructor(readonly name: string) {}
}

/**
 * A statement compiled once per database instead of on every run: building and compiling a Kysely
 * query costs 5-15 µs, which on the upload's hot path (some 15 statements per file, on the API's
 * one thread) was a fifth of its CPU per small file (issue 17). `build` gets markers in place of
 * its parameters; they may only be passed to Kysely as values (not computed with, not in lists).
 */
export class Prepared<A extends object, R> {
  private readonly compiled = new Map<DatabaseKind, { sql: string; parameters: readonly unknown[] }>();

  constructor(private readonly build: (q: Kysely<DatabaseSchema>, p: A) => Compilable<R>) {}

  /** This statement with its parameters, for rows / first / affected. */
  with(args: A): Bound<R> {
    return { prepared: this as unknown as Prepared<object, R>, args };
  }

  compile(q: Kysely<DatabaseSchema>, kind: DatabaseKind, args: A): { sql: string; parameters: unknown[] } {
    const values = args as Record<string, unknown>;
    let c = this.compiled.get(kind);
    if (!c) {
      const markers = new Proxy({}, { get: (_, name) => new Marker(String(name)) }) as A;
      c = this.build(q, markers).compile();
      this.compiled.set(kind, c);
    }
    return { sql: c.sql, parameters: c.parameters.map((v) => (v instanceof Marker ? values[v.name] : v)) };
  }
}

/** A prepared statement with its parameters. */
export interface Bound<R> {
  prepared: Prepared<object, R>;
  args: object;
}

export function prepared<A extends object, R>(
  build: (q: Kysely<DatabaseSchema>, p: A) => Compilable<R>,
): Prepared<A, R> {
  return new Prepared(build);
}

type Query<R> = Builder<R> | Bound<R>;

function compileQuery(query: Query<unknown>, q: Kysely<DatabaseSchema>, kind: DatabaseKind) {
  return typeof query === 'function' ? query(q).compile() : query.prepared.compile(q, kind, query.args);
}

/** One request of a unit to its runner. */
export type Step =
  | { kind: 'rows' | 'first' | 'affected' | 'attempt'; build: Query<unknown> }
  | { kind: 'dialect' }
  | { kind: 'context' }
  | { kind: 'lock'; key: string };

/** A unit answering T; see the module comment. */
export type Unit<T> = Generator<Step, T, unknown>;

/** Every row the query returns. */
export function* rows<R>(build: Query<R>): Unit<R[]> {
  return (yield { kind: 'rows', build }) as R[];
}

/** The query's first row, or undefined. */
export function* first<R>(build: Query<R>): Unit<R | undefined> {
  return (yield { kind: 'first', build }) as R | undefined;
}

/** Runs an INSERT, UPDATE or DELETE without RETURNING; answers how many rows it changed. */
export function* affected(build: Query<unknown>): Unit<number> {
  return (yield { kind: 'affected', build }) as number;
}

/**
 * Like `affected`, for a statement whose failure (a unique violation) the unit catches and goes on
 * from: on PostgreSQL it runs inside a savepoint, so its failure does not abort the transaction.
 */
export function* attempt(build: Query<unknown>): Unit<number> {
  return (yield { kind: 'attempt', build }) as number;
}

/**
 * What the process attaches to every unit it runs rather than passing through each caller: the
 * audit chain's key (several write paths append audit events, and none may forget the key).
 */
export interface UnitContext {
  auditChain?: {
    key: Buffer;
    /** Told after each append, inside the transaction: the head publisher reads the committed head later. */
    onAppend(orgId: string): void;
  };
}

const handleContexts = new WeakMap<Db, UnitContext>();

/** Gives the units run on this handle their context (at start-up). */
export function attachUnitContext(handle: Db, context: UnitContext): void {
  handleContexts.set(handle, context);
}

/** The running process's context (attachUnitContext; postgresUnits' argument). */
export function* context(): Unit<UnitContext> {
  return (yield { kind: 'context' }) as UnitContext;
}

/** Which database runs the unit: for the few statements the two write differently. */
export function* dialect(): Unit<DatabaseKind> {
  return (yield { kind: 'dialect' }) as DatabaseKind;
}

/**
 * Holds `key` until the transaction ends, so writers of one key (an organisation's audit chain) take
 * turns across processes. SQLite's write lock already serialises every writer: a no-op there.
 */
export function* lockUntilCommit(key: string): Unit<void> {
  yield { kind: 'lock', key };
}

/** Answers once the database answers a query (the health check's probe). */
export function* pingDatabase(): Unit<void> {
  yield* first((q) => q.selectNoFrom(sql<number>`1`.as('one')));
}

/**
 * Compiles the units' statements for SQLite, to run on a better-sqlite3 handle: this Kysely has no
 * connection and runs nothing itself.
 */
const handleQueries = new Kysely<DatabaseSchema>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

function stepOnHandle(handle: Db, step: Step): unknown {
  if (step.kind === 'dialect') return 'sqlite';
  if (step.kind === 'context') return handleContexts.get(handle) ?? {};
  if (step.kind === 'lock') return undefined;
  const { sql: text, parameters } = compileQuery(step.build, handleQueries, 'sqlite');
  const statement = handle.prepare(text);
  if (step.kind === 'rows') return statement.all(...parameters);
  if (step.kind === 'first') return statement.get(...parameters);
  return statement.run(...parameters).changes;
}

/**
 * Runs a unit synchronously on a better-sqlite3 handle, inside whatever transaction the caller holds
 * (none: each statement commits on its own; wrap it in `handle.transaction` for atomicity).
 */
export function runUnitOnHandle<T>(handle: Db, unit: Unit<T>): T {
  let next = unit.next();
  let swallowed: unknown = null;
  for (;;) {
    if (next.done) return finished(next.value, swallowed);
    let answer: unknown;
    try {
      if (swallowed) throw wentOn(swallowed);
      answer = stepOnHandle(handle, next.value);
    } catch (error) {
      if (next.value.kind !== 'attempt') swallowed ??= error;
      next = unit.throw(error);
      continue;
    }
    next = unit.next(answer);
  }
}

/**
 * A unit's answer, unless it went on (to its end or to another statement) after catching a failed
 * statement not run with attempt(): PostgreSQL has aborted that transaction, so such a unit is
 * refused on both databases alike.
 */
function finished<T>(value: T, swallowed: unknown): T {
  if (swallowed) throw wentOn(swallowed);
  return value;
}

function wentOn(swallowed: unknown): Error {
  return new Error('A unit went on after a failed statement not run with attempt(); nothing it wrote was kept.', {
    cause: swallowed,
  });
}

async function stepOnPostgres(q: Kysely<DatabaseSchema>, step: Step, ctx: UnitContext): Promise<unknown> {
  if (step.kind === 'dialect') return 'postgres';
  if (step.kind === 'context') return ctx;
  if (step.kind === 'lock') {
    await q.executeQuery(lockQuery(q, step.key));
    return undefined;
  }
  if (step.kind === 'attempt') return attemptOnPostgres(q, step.build);
  const result = await q.executeQuery(onPostgres(step.build, q));
  if (step.kind === 'rows') return result.rows;
  if (step.kind === 'first') return result.rows[0];
  return Number(result.numAffectedRows ?? 0n);
}

function onPostgres(query: Query<unknown>, q: Kysely<DatabaseSchema>): CompiledQuery {
  const { sql: text, parameters } = compileQuery(query, q, 'postgres');
  return CompiledQuery.raw(text, [...parameters]);
}

async function attemptOnPostgres(q: Kysely<DatabaseSchema>, build: Query<unknown>): Promise<number> {
  await sql`SAVEPOINT unit_attempt`.execute(q);
  try {
    const result = await q.executeQuery(onPostgres(build, q));
    await sql`RELEASE SAVEPOINT unit_attempt`.execute(q);
    return Number(result.numAffectedRows ?? 0n);
  } catch (error) {
    await sql`ROLLBACK TO SAVEPOINT unit_attempt`.execute(q);
    throw error;
  }
}

function lockQuery(q: Kysely<DatabaseSchema>, key: string) {
  // A transaction-scoped advisory lock on a 64-bit hash of the key: released by COMMIT or ROLLBACK.
  return q
    .selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.fn('hashtextextended', [eb.val(key), eb.lit(0)])]).as('l'))
    .compile();
}

/** Runs a unit on PostgreSQL, on `q`: a transaction (for atomic writes) or the pool (for reads). */
export async function runUnitOnPostgres<T>(
  q: Kysely<DatabaseSchema>,
  unit: Unit<T>,
  ctx: UnitContext = {},
): Promise<T> {
  let next = unit.next();
  let swallowed: unknown = null;
  for (;;) {
    if (next.done) return finished(next.value, swallowed);
    let answer: unknown;
    try {
      if (swallowed) throw wentOn(swallowed);
      answer = await stepOnPostgres(q, next.value, ctx);
    } catch (error) {
      if (next.value.kind !== 'attempt') swallowed ??= error;
      next = unit.throw(error);
      continue;
    }
    next = unit.next(answer);
  }
}

/** SQLSTATEs after which PostgreSQL asks the client to run the transaction again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/**
 * Runs a fresh unit from `make` in one PostgreSQL transaction, again (up to MAX_ATTEMPTS) after a
 * serialization failure or a deadlock, which PostgreSQL resolves by failing one of the writers.
 */
export async function writeOnPostgres<T>(
  db: Kysely<DatabaseSchema>,
  make: () => Unit<T>,
  ctx: UnitContext = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => runUnitOnPostgres(trx, make(), ctx));
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt >= MAX_ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}
