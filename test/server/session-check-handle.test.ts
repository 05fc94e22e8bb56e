import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/accounts';
import { createSession, resolveSession, revokeSession } from '../../server/auth/sessions';
import { closeQueryLayer } from '../../server/db/kysely';
import { openDatabase, type Db } from '../../server/db/open';

const LIFE = { idleSeconds: 600, absoluteSeconds: 3600 };

/**
 * The API checks a request's session on its better-sqlite3 handle with a statement compiled once
 * (sessions.ts). Two handles on one database file stand for two API processes: a sign-out or a
 * removed user seen through one must apply at once through the other, whose statement is already
 * compiled (nothing of the session is kept between requests).
 */
describe('session check on the SQLite handle', () => {
  let dir: string;
  let apiA: Db;
  let apiB: Db;
  let userId: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'session-check-'));
    apiA = openDatabase(dir);
    apiB = openDatabase(dir);
    ({ userId } = await addUser(apiA, {
      org: 'Clinic',
      email: 'coord@clinic.test',
      password: 'a-long-password',
      role: 'uploader',
    }));
  });
  afterAll(async () => {
    for (const db of [apiA, apiB]) {
      await closeQueryLayer(db);
      db.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('honours a sign-out made through another connection on the next check', async () => {
    const { token } = await createSession(apiA, userId, LIFE);
    const first = await resolveSession(apiB, token, LIFE);
    expect(first).toMatchObject({ userId, email: 'coord@clinic.test', role: 'uploader', orgName: 'Clinic' });
    expect(await resolveSession(apiB, token, LIFE)).toEqual(first);
    await revokeSession(apiA, first!.tokenHash);
    expect(await resolveSession(apiB, token, LIFE)).toBeNull();
    expect(await resolveSession(apiB, 'no-such-token-of-anyone-at-all', LIFE)).toBeNull();
  });

  it('refuses an idle or expired session, and one whose user was removed', async () => {
    const now = Date.now();
    const { token } = await createSession(apiA, userId, LIFE, now);
    expect(await resolveSession(apiB, token, LIFE, now + 1000)).not.toBeNull();
    expect(await resolveSession(apiB, token, LIFE, now + 3_600_000)).toBeNull();
    const { token: other } = await createSession(apiA, userId, LIFE);
    expect(await resolveSession(apiB, other, LIFE)).not.toBeNull();
    apiA.prepare('DELETE FROM users WHERE id = ?').run(userId);
    expect(await resolveSession(apiB, other, LIFE)).toBeNull();
  });
});
