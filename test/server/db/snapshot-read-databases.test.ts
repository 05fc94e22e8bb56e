/**
 * readSnapshot (server/db/kysely.ts): reads inside it see the database as of their first read, while
 * another connection commits between them, as when a provider merge commits while a provider list is
 * being read. Without the snapshot the second count below sees the new row.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readSnapshot } from '../../../server/db/kysely';
import type { ServerDatabase } from '../../../server/db/open-query-db';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

async function organizations(db: ServerDatabase['db']): Promise<number> {
  const row = await db
    .selectFrom('organizations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(DATABASE_KINDS)('readSnapshot on %s', (kind) => {
  let t: TestServerDatabase;
  afterEach(async () => t?.cleanup());

  it("keeps every read on the first one's snapshot while another connection commits", async () => {
    t = await openTestServerDatabase(kind);
    const other = await t.openAnother();
    const addOrganization = (id: string) =>
      other.db.insertInto('organizations').values({ id, name: id, created_at: new Date().toISOString() }).execute();
    await addOrganization('before');

    const seen = await readSnapshot(t.database.db, async (snapshot) => {
      const first = await organizations(snapshot);
      await addOrganization('during');
      return { first, second: await organizations(snapshot) };
    });

    expect(seen).toEqual({ first: 1, second: 1 });
    expect(await organizations(t.database.db)).toBe(2);
  });
});
