import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../../server/accounts';
import { createSession, purgeDeadSessions, resolveSession, revokeSession } from '../../../server/auth/sessions';
import type { ServerDatabase } from '../../../server/db/open-query-db';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

const LIFE = { idleSeconds: 600, absoluteSeconds: 3600 };
const T0 = 1_780_000_000_000;

describe.each(DATABASE_KINDS)('sessions on %s, shared by two processes', (kind) => {
  let t: TestServerDatabase;
  // Two connections to one database stand for two API processes behind one address.
  let apiA: ServerDatabase;
  let apiB: ServerDatabase;
  let userId: string;
  beforeAll(async () => {
    t = await openTestServerDatabase(kind);
    apiA = t.database;
    apiB = await t.openAnother();
    ({ userId } = await addUser(apiA.db, {
      org: 'Clinic',
      email: 'coord@clinic.test',
      password: 'a-long-password',
      role: 'reviewer',
    }));
  });
  afterAll(() => t.cleanup());

  it('accepts a token issued by the other process, and honours a sign-out made through it', async () => {
    const { token, expiresAt } = await createSession(apiA.db, userId, LIFE, T0);
    expect(expiresAt).toBe(T0 + 3_600_000);
    const principal = await resolveSession(apiB.db, token, LIFE, T0 + 1000);
    expect(principal).toMatchObject({ userId, email: 'coord@clinic.test', role: 'reviewer', orgName: 'Clinic' });
    await revokeSession(apiB.db, principal?.tokenHash ?? '', T0 + 2000);
    expect(await resolveSession(apiA.db, token, LIFE, T0 + 3000)).toBeNull();
    expect(await resolveSession(apiA.db, 'not-a-token-of-anyone', LIFE, T0)).toBeNull();
  });

  it('ends a session idle too long or past its lifetime; use through either process keeps it alive', async () => {
    const { token } = await createSession(apiA.db, userId, LIFE, T0);
    // Used every 5 minutes (under the 10-minute idle limit), alternately through each process.
    for (let minute = 5; minute <= 55; minute += 5) {
      const api = minute % 10 === 0 ? apiA : apiB;
      expect(await resolveSession(api.db, token, LIFE, T0 + minute * 60_000), `minute ${minute}`).not.toBeNull();
    }
    // Past the absolute lifetime even though it was used a minute ago.
    expect(await resolveSession(apiB.db, token, LIFE, T0 + 3600_000)).toBeNull();
    const idle = await createSession(apiA.db, userId, LIFE, T0);
    expect(await resolveSession(apiB.db, idle.token, LIFE, T0 + 600_000)).toBeNull();
  });

  it('touches last_used_at at most once a minute, and purges dead sessions', async () => {
    const { token } = await createSession(apiA.db, userId, LIFE, T0);
    const lastUsed = async () =>
      (await apiA.db.selectFrom('sessions').select('last_used_at').execute()).map((r) => r.last_used_at);
    const hash = (await resolveSession(apiA.db, token, LIFE, T0 + 30_000))?.tokenHash ?? '';
    const mine = async () =>
      (
        await apiA.db
          .selectFrom('sessions')
          .select('last_used_at')
          .where('token_hash', '=', hash)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    expect(await mine()).toBe(T0);
    await resolveSession(apiB.db, token, LIFE, T0 + 90_000);
    expect(await mine()).toBe(T0 + 90_000);
    // Within the minute after a touch, reads through either process write nothing.
    await resolveSession(apiA.db, token, LIFE, T0 + 140_000);
    expect(await mine()).toBe(T0 + 90_000);
    expect((await lastUsed()).length).toBeGreaterThan(1);
    // Everything created at T0 is dead an hour and a half later: revoked, idle or expired.
    const purged = await purgeDeadSessions(apiB.db, LIFE, T0 + 5400_000);
    expect(purged).toBeGreaterThan(1);
    expect(await lastUsed()).toEqual([]);
  });
});
