import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit, listAudit, verifyAuditChain } from '../../../server/audit/audit-log';
import { unitsFor, type UnitRunner } from '../../../server/db/unit-runner';
import { first } from '../../../server/db/units';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

const key = crypto.randomBytes(32);

function headOf(units: UnitRunner, orgId: string) {
  return units.read(() =>
    first((q) => q.selectFrom('audit_heads').select(['last_id', 'last_hash']).where('org_id', '=', orgId)),
  );
}

describe.each(DATABASE_KINDS)('the audit chain on %s', (kind) => {
  let t: TestServerDatabase;
  afterEach(async () => t?.cleanup());

  it('stays one verifiable chain per organisation while two processes append at once', async () => {
    t = await openTestServerDatabase(kind);
    const appended: string[] = [];
    const chain = { key, onAppend: (orgId: string) => appended.push(orgId) };
    const [a, b] = [
      unitsFor(t.database, { auditChain: chain }),
      unitsFor(await t.openAnother(), { auditChain: chain }),
    ];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a : b).write(() =>
          appendAudit({
            orgId: i % 3 ? 'org-a' : 'org-b',
            actor: 'x@example.org',
            action: 'test.event',
            details: { i },
          }),
        ),
      ),
    );
    for (const orgId of ['org-a', 'org-b']) {
      const head = (await headOf(a, orgId))!;
      const verdict = await a.read(() => verifyAuditChain(orgId, key, { lastId: head.last_id, hash: head.last_hash }));
      expect(verdict).toMatchObject({ ok: true, checked: orgId === 'org-a' ? 20 : 10 });
    }
    expect(appended).toHaveLength(30);
    const page = await a.read(() => listAudit('org-b', { limit: 3 }));
    expect(page.map((e) => e.id)).toEqual([...page.map((e) => e.id)].sort((x, y) => y - x));
    expect(page.every((e) => (e.details.i as number) % 3 === 0)).toBe(true);
  });

  it('finds a changed key and a missing store head', async () => {
    t = await openTestServerDatabase(kind);
    const units = unitsFor(t.database, { auditChain: { key, onAppend: () => undefined } });
    await units.write(() => appendAudit({ orgId: 'org-a', actor: null, action: 'test.event' }));
    const head = (await headOf(units, 'org-a'))!;
    const stored = { lastId: head.last_id, hash: head.last_hash };
    const otherKey = await units.read(() => verifyAuditChain('org-a', crypto.randomBytes(32), stored));
    expect(otherKey).toMatchObject({ ok: false, firstBadId: head.last_id });
    expect(await units.read(() => verifyAuditChain('org-a', key, null))).toMatchObject({ ok: false });
  });

  it('refuses to append without a key, and writes nothing', async () => {
    t = await openTestServerDatabase(kind);
    const units = unitsFor(t.database);
    await expect(units.write(() => appendAudit({ orgId: 'org-a', actor: null, action: 'x' }))).rejects.toThrow(
      /No audit key/,
    );
    expect(await headOf(units, 'org-a')).toBeUndefined();
  });
});
