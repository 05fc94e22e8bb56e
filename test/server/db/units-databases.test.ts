import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseSchema } from '../../../server/db/schema';
import { isUniqueViolation } from '../../../server/db/constraint-errors';
import { runUnitOnPgClient, unitsFor } from '../../../server/db/unit-runner';
import {
  affected,
  attempt,
  dialect,
  first,
  lockUntilCommit,
  prepared,
  rows,
  type Unit,
} from '../../../server/db/units';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

function* counter(name: string): Unit<number | undefined> {
  const row = yield* first((q) => q.selectFrom('counters').select('value').where('name', '=', name));
  return row?.value;
}

function* addCounter(name: string, value: number): Unit<number> {
  return yield* affected((q) => q.insertInto('counters').values({ name, value }));
}

/** Read, then write what was read plus one: loses updates unless the writers of `name` take turns. */
function* incrementByReading(name: string): Unit<void> {
  yield* lockUntilCommit(`test:${name}`);
  const value = yield* counter(name);
  yield* affected((q) =>
    q
      .updateTable('counters')
      .set({ value: (value ?? 0) + 1 })
      .where('name', '=', name),
  );
}

describe.each(DATABASE_KINDS)('units on %s', (kind) => {
  let t: TestServerDatabase;
  afterEach(async () => t?.cleanup());

  it('reads, writes and names its database through one unit text', async () => {
    t = await openTestServerDatabase(kind);
    const units = unitsFor(t.database);
    expect(await units.read(() => dialect())).toBe(kind);
    expect(await units.write(() => addCounter('a', 5))).toBe(1);
    expect(await units.read(() => counter('a'))).toBe(5);
    expect(await units.read(() => counter('missing'))).toBeUndefined();
    const names = await units.read(() => rows((q) => q.selectFrom('counters').select('name').orderBy('name')));
    expect(names.map((r) => r.name)).toEqual(['a', 'change_seq']);
  });

  it('rolls the whole unit back when it throws after a statement', async () => {
    t = await openTestServerDatabase(kind);
    const units = unitsFor(t.database);
    const failing = function* (): Unit<void> {
      yield* addCounter('half', 1);
      throw new Error('refused after the insert');
    };
    await expect(units.write(failing)).rejects.toThrow('refused after the insert');
    expect(await units.read(() => counter('half'))).toBeUndefined();
  });

  it('throws a failed statement into the unit, which goes on after an attempt() only', async () => {
    t = await openTestServerDatabase(kind);
    const units = unitsFor(t.database);
    const duplicateThenGoOn = (guarded: boolean) =>
      function* (): Unit<string> {
        let outcome = 'written';
        try {
          const insert = (q: Kysely<DatabaseSchema>) =>
            q.insertInto('counters').values({ name: 'change_seq', value: 1 });
          yield* guarded ? attempt(insert) : affected(insert);
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          outcome = 'duplicate';
        }
        yield* addCounter(guarded ? 'after-attempt' : 'after-unguarded', 1);
        return outcome;
      };
    expect(await units.write(duplicateThenGoOn(true))).toBe('duplicate');
    expect(await units.read(() => counter('after-attempt'))).toBe(1);
    await expect(units.write(duplicateThenGoOn(false))).rejects.toThrow(/failed statement not run with attempt/);
    expect(await units.read(() => counter('after-unguarded'))).toBeUndefined();
  });

  it('lets writers of one key take turns across connections: no update is lost', async () => {
    t = await openTestServerDatabase(kind);
    const [a, b] = [unitsFor(t.database), unitsFor(await t.openAnother())];
    await a.write(() => addCounter('turns', 0));
    await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).write(() => incrementByReading('turns'))));
    expect(await a.read(() => counter('turns'))).toBe(24);
  });
});

describe('units on a pg client inside its own transaction', () => {
  let t: TestServerDatabase;
  afterEach(async () => t?.cleanup());

  it('joins the transaction the client holds: its rollback takes the unit’s writes', async () => {
    t = await openTestServerDatabase('postgres');
    if (t.database.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const units = unitsFor(t.database);
    const client = await t.database.pool.connect();
    try {
      await client.query('BEGIN');
      await runUnitOnPgClient(client, addCounter('in-tx', 7));
      expect(await runUnitOnPgClient(client, counter('in-tx'))).toBe(7);
      expect(await units.read(() => counter('in-tx'))).toBeUndefined();
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await units.read(() => counter('in-tx'))).toBeUndefined();
  });
});

const insertCounter = prepared((q, p: { name: string; value: number }) =>
  q.insertInto('counters').values({ name: p.name, value: p.value }),
);
const counterValue = prepared((q, p: { name: string }) =>
  q.selectFrom('counters').select('value').where('name', '=', p.name),
);

describe.each(DATABASE_KINDS)('prepared statements on %s', (kind) => {
  let t: TestServerDatabase;
  afterEach(async () => t?.cleanup());

  it('compile once and run with each call’s own values', async () => {
    t = await openTestServerDatabase(kind);
    const units = unitsFor(t.database);
    await units.write(function* () {
      yield* affected(insertCounter.with({ name: 'p1', value: 11 }));
      yield* affected(insertCounter.with({ name: 'p2', value: 22 }));
    });
    const read = (name: string) => units.read(() => first(counterValue.with({ name })));
    expect(await read('p1')).toEqual({ value: 11 });
    expect(await read('p2')).toEqual({ value: 22 });
    expect(await read('p3')).toBeUndefined();
  });
});
