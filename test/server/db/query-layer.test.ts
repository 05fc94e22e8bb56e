import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

describe.each(DATABASE_KINDS)('the typed query layer on %s', (kind) => {
  let t: TestServerDatabase;
  beforeAll(async () => {
    t = await openTestServerDatabase(kind);
  });
  afterAll(() => t.cleanup());

  it('writes and reads the same rows, with epoch-ms columns as numbers and emails matched regardless of case', async () => {
    const { db } = t.database;
    expect(t.database.kind).toBe(kind);
    await db
      .insertInto('organizations')
      .values({ id: 'o1', name: 'Clinic', created_at: '2026-01-01T00:00:00.000Z' })
      .execute();
    await db
      .insertInto('users')
      .values({ id: 'u1', org_id: 'o1', email: 'a@clinic.test', password_hash: 'h', role: 'admin', created_at: 'x' })
      .execute();
    // Beyond 32 bits: an epoch-ms time round-trips as an exact number, not a string.
    const at = 1_780_000_000_123;
    await db
      .insertInto('sessions')
      .values({ token_hash: 't1', user_id: 'u1', created_at: at, last_used_at: at, expires_at: at + 1 })
      .execute();
    const session = await db
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', 't1')
      .executeTakeFirstOrThrow();
    expect(session).toEqual({
      token_hash: 't1',
      user_id: 'u1',
      created_at: at,
      last_used_at: at,
      expires_at: at + 1,
      revoked_at: null,
    });
    const user = await db
      .selectFrom('users')
      .select(['id', 'email'])
      .where('email', '=', 'A@Clinic.TEST')
      .executeTakeFirst();
    expect(user).toEqual({ id: 'u1', email: 'a@clinic.test' });
    const dup = db
      .insertInto('users')
      .values({ id: 'u2', org_id: 'o1', email: 'A@CLINIC.test', password_hash: 'h', role: 'admin', created_at: 'x' })
      .execute();
    await expect(dup).rejects.toThrow(/unique|duplicate/i);
    const counted = await db
      .selectFrom('users')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(counted.n).toBe(1);
  });

  it('generates identity ids and defaults, and refuses to change or delete an audit event', async () => {
    const { db } = t.database;
    const row = { org_id: 'o1', at: 'now', action: 'test', details_json: '{}', prev_hash: 'p', hash: 'h' };
    const first = await db
      .insertInto('audit_events')
      .values(row)
      .returning(['id', 'chain_version'])
      .executeTakeFirstOrThrow();
    const second = await db.insertInto('audit_events').values(row).returning('id').executeTakeFirstOrThrow();
    expect(first.chain_version).toBe(1);
    expect(second.id).toBe(first.id + 1);
    await expect(db.updateTable('audit_events').set({ action: 'x' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
  });
});
