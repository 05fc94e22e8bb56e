/**
 * The providers module's writes as units on both databases: the reconciler, a coordinator's
 * decisions (confirm, merge, split, CME topics), the roster and the expiry notices, each in one
 * transaction with the change feed and the audit chain; and two connections (two API processes)
 * writing one organisation at once without a lost or doubled match.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../../../server/accounts';
import type { SessionPrincipal } from '../../../server/auth/sessions';
import type { ServerDatabase } from '../../../server/db/open-query-db';
import { unitsFor, type UnitRunner } from '../../../server/db/unit-runner';
import { affected, first, rows, type Unit } from '../../../server/db/units';
import {
  confirmMatch,
  mergeProviders,
  seedRosterAudited,
  setCmeTopics,
  splitProvider,
} from '../../../server/providers/coordinator-actions';
import type { Expiration } from '../../../server/providers/expirations';
import { takeNewNotices } from '../../../server/providers/expiry-notices';
import { activeProvidersInWrite } from '../../../server/providers/provider-store';
import { reconcileOrg, type ReconcileResult } from '../../../server/providers/reconcile';
import { documentRow } from '../../support/document-rows';
import { deaFrom, npiFrom } from '../providers-fixture';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

const auditChain = { key: crypto.randomBytes(32), onAppend: () => undefined };
const ASHOK_NPI = npiFrom('145678901');
const ASHOK_DEA = deaFrom('AS', '583672');
const OTHER_DEA = deaFrom('BC', '612534');

/** The change sequence's next value, taken as the documents module takes it for a new document. */
function* nextSeq(): Unit<number> {
  const row = yield* first((q) =>
    q
      .updateTable('counters')
      .set((eb) => ({ value: eb('value', '+', 1) }))
      .where('name', '=', 'change_seq')
      .returning('value'),
  );
  return row!.value;
}

/** A document with its extraction, as the worker leaves it (status review_pending unless told). */
function addDocument(
  units: UnitRunner,
  orgId: string,
  docType: string,
  fields: Record<string, unknown>,
): Promise<string> {
  const id = crypto.randomUUID();
  const result = JSON.stringify({
    docType,
    fields: Object.fromEntries(Object.entries(fields).map(([k, value]) => [k, { value, confidence: 0.95 }])),
  });
  return units.write(function* () {
    const change_seq = yield* nextSeq();
    yield* affected((q) =>
      q.insertInto('documents').values(documentRow({ id, org_id: orgId, doc_type: docType, change_seq })),
    );
    yield* affected((q) =>
      q.insertInto('extractions').values({
        document_id: id,
        job_id: 1,
        fencing_token: 1,
        pipeline_version: 'test',
        result_json: result,
        created_at: new Date().toISOString(),
      }),
    );
    return id;
  });
}

const matchesOf = (units: UnitRunner, orgId: string) =>
  units.read(() =>
    rows((q) =>
      q
        .selectFrom('provider_matches as m')
        .innerJoin('documents as d', 'd.id', 'm.document_id')
        .select([
          'm.document_id',
          'm.provider_id',
          'm.evidence',
          'm.needs_confirmation',
          'm.matched_change_seq',
          'd.change_seq',
          'm.confirmed_by',
        ])
        .where('m.org_id', '=', orgId),
    ),
  );

const providerNamed = async (units: UnitRunner, orgId: string, name: string) =>
  (await units.read(() => activeProvidersInWrite(orgId))).find((p) => p.name === name)!.id;

const auditActions = async (units: UnitRunner, orgId: string) =>
  (
    await units.read(() =>
      rows((q) => q.selectFrom('audit_events').select('action').where('org_id', '=', orgId).orderBy('id')),
    )
  ).map((r) => r.action);

describe.each(DATABASE_KINDS)('provider writes on %s', (kind) => {
  let t: TestServerDatabase;
  afterEach(async () => t?.cleanup());

  async function open(): Promise<{ units: UnitRunner; who: SessionPrincipal; another: () => Promise<UnitRunner> }> {
    t = await openTestServerDatabase(kind);
    const { orgId, userId } = await addUser(t.database.db, {
      org: 'Clinic A',
      email: 'a@clinic.test',
      password: 'a-long-password',
      role: 'admin',
    });
    const who: SessionPrincipal = {
      userId,
      email: 'a@clinic.test',
      role: 'admin',
      orgId,
      orgName: 'Clinic A',
      tokenHash: 'x',
    };
    const runner = (database: ServerDatabase) => unitsFor(database, { auditChain });
    return { units: runner(t.database), who, another: async () => runner(await t.openAnother()) };
  }

  it('matches one person printed three ways to one provider, announcing each match once', async () => {
    const { units, who } = await open();
    const license = await addDocument(units, who.orgId, 'medical_license', {
      licenseeName: 'SEHGAL, ASHOK K.',
      state: 'OH',
      licenseNumber: '35.123456',
      npi: ASHOK_NPI,
    });
    const dea = await addDocument(units, who.orgId, 'dea_registration', {
      registrantName: 'Ashok K. Sehgal, MD',
      deaNumber: ASHOK_DEA,
    });
    const cme = await addDocument(units, who.orgId, 'cme_certificate', { participantName: 'A. Sehgal', credits: 1 });
    const other = await addDocument(units, who.orgId, 'w9_form', { name: 'Ashok Sehgal' });

    expect(await units.write(() => reconcileOrg(who.orgId))).toEqual({
      matched: 2,
      created: 1,
      flagged: 1,
      removed: 0,
    });
    const [provider, ...rest] = await units.read(() => activeProvidersInWrite(who.orgId));
    expect(rest).toEqual([]);
    expect(provider).toMatchObject({ name: 'Ashok K. Sehgal', npi: ASHOK_NPI, origin: 'document' });
    const matches = new Map((await matchesOf(units, who.orgId)).map((m) => [m.document_id, m]));
    expect(matches.get(license)).toMatchObject({ provider_id: provider!.id, evidence: 'new', needs_confirmation: 0 });
    expect(matches.get(dea)).toMatchObject({ provider_id: provider!.id, evidence: 'name', needs_confirmation: 0 });
    expect(matches.get(cme)).toMatchObject({ provider_id: provider!.id, needs_confirmation: 1 });
    expect(matches.get(other)).toMatchObject({ provider_id: null, evidence: 'none' });
    // Each match was put on the change feed, and that sequence recorded: nothing is matched twice.
    for (const m of matches.values()) expect(Number(m.matched_change_seq)).toBe(Number(m.change_seq));
    expect(await units.write(() => reconcileOrg(who.orgId))).toEqual({
      matched: 0,
      created: 0,
      flagged: 0,
      removed: 0,
    });
  });

  it('merges, splits, confirms and sets topics, each audited; the reconciler keeps a decision', async () => {
    const { units, who } = await open();
    await units.write(() =>
      seedRosterAudited(
        who,
        `name,npi,dea\nRobert Chen,,${ASHOK_DEA}\nMaria Alvarez,${ASHOK_NPI},${ASHOK_DEA};${OTHER_DEA}\n`,
      ),
    );
    const a = await addDocument(units, who.orgId, 'medical_license', {
      licenseeName: 'Robert Chen',
      state: 'TX',
      licenseNumber: 'Q1',
    });
    const b = await addDocument(units, who.orgId, 'cme_certificate', { participantName: 'Maria Alvarez', credits: 1 });
    await units.write(() => reconcileOrg(who.orgId));
    const byDoc = async () => new Map((await matchesOf(units, who.orgId)).map((m) => [m.document_id, m]));
    const [robert, maria] = [(await byDoc()).get(a)!.provider_id!, (await byDoc()).get(b)!.provider_id!];
    expect(robert).not.toBe(maria);
    await units.write(() => setCmeTopics(who, maria, 'activity-1', ['ethics']));
    await units.write(() => setCmeTopics(who, robert, 'activity-1', ['opioid_prescribing']));
    await units.write(() => mergeProviders(who, robert, maria));

    expect((await byDoc()).get(b)!.provider_id).toBe(robert);
    const [merged] = await units.read(() => activeProvidersInWrite(who.orgId));
    expect(merged).toMatchObject({ id: robert, npi: ASHOK_NPI });
    const held = await units.read(() =>
      rows((q) => q.selectFrom('provider_identifiers').select(['provider_id', 'value']).orderBy('value')),
    );
    // The DEA both held is kept once; the one only Maria held moves.
    expect(held).toEqual([
      { provider_id: robert, value: ASHOK_DEA },
      { provider_id: robert, value: OTHER_DEA },
    ]);
    const overrides = await units.read(() =>
      rows((q) => q.selectFrom('cme_topic_overrides').select(['provider_id', 'topics_json'])),
    );
    // Robert's own topics for the activity win over those moved from Maria.
    expect(overrides).toEqual([{ provider_id: robert, topics_json: '["opioid_prescribing"]' }]);

    const split = await units.write(() => splitProvider(who, robert, [b], 'Maria Alvarez', null));
    expect((await byDoc()).get(b)).toMatchObject({ provider_id: split, evidence: 'manual', confirmed_by: who.email });
    await units.write(() => confirmMatch(who, a, split));
    await units.write(() => reconcileOrg(who.orgId));
    expect((await byDoc()).get(a)).toMatchObject({ provider_id: split, evidence: 'manual', needs_confirmation: 0 });
    await expect(units.write(() => mergeProviders(who, robert, 'nope'))).rejects.toMatchObject({ kind: 'not_found' });
    expect(await auditActions(units, who.orgId)).toEqual([
      'provider.roster_seeded',
      'provider.cme_topics_set',
      'provider.cme_topics_set',
      'provider.merged',
      'provider.split',
      'provider.match_confirmed',
    ]);
  });

  it('renames a provider from the roster and announces its documents again', async () => {
    const { units, who } = await open();
    await units.write(() => seedRosterAudited(who, `name,npi,dea\nAshok Sehgal,${ASHOK_NPI},${ASHOK_DEA}\n`));
    const doc = await addDocument(units, who.orgId, 'dea_registration', {
      registrantName: 'A SEHGHL',
      deaNumber: ASHOK_DEA,
    });
    await units.write(() => reconcileOrg(who.orgId));
    const before = (await matchesOf(units, who.orgId))[0]!;
    expect(before).toMatchObject({ document_id: doc, evidence: 'dea' });
    const again = await units.write(() => seedRosterAudited(who, `name,npi\nAshok Kumar Sehgal,${ASHOK_NPI}\nBad,1\n`));
    expect(again).toMatchObject({ created: 0, updated: 1, errors: [{ line: 3 }] });
    const after = (await matchesOf(units, who.orgId))[0]!;
    expect(Number(after.change_seq)).toBeGreaterThan(Number(before.change_seq));
    expect(Number(after.matched_change_seq)).toBe(Number(after.change_seq));
    expect((await units.read(() => activeProvidersInWrite(who.orgId))).map((p) => p.name)).toEqual([
      'Ashok Kumar Sehgal',
    ]);
  });

  it('matches each document once while two processes reconcile one organisation at once', async () => {
    const { units, who, another } = await open();
    const other = await another();
    const people = ['Robert Chen', 'Maria Alvarez', 'Jon Smith', 'Priya Natarajan', 'Lena Fischer'];
    const docs: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const [i, name] of people.entries())
        docs.push(
          await addDocument(units, who.orgId, 'medical_license', {
            licenseeName: name,
            state: 'TX',
            licenseNumber: `Q${round}${i}`,
          }),
        );
      const results: ReconcileResult[] = await Promise.all(
        [units, other, units, other].map((u) => u.write(() => reconcileOrg(who.orgId))),
      );
      // Every new document was matched by exactly one of the four reconcilers.
      expect(results.reduce((n, r) => n + r.matched + r.flagged, 0)).toBe(people.length);
      expect(results.reduce((n, r) => n + r.created, 0)).toBe(round === 0 ? people.length : 0);
    }
    const providers = await units.read(() => activeProvidersInWrite(who.orgId));
    expect(providers.map((p) => p.name).sort()).toEqual([...people].sort());
    const matches = await matchesOf(units, who.orgId);
    expect(matches.map((m) => m.document_id).sort()).toEqual([...docs].sort());
    expect(matches.every((m) => m.provider_id && m.needs_confirmation === 0)).toBe(true);
  });

  it('lets one of two opposite merges win and keeps every match on an active provider while reconciling', async () => {
    const { units, who, another } = await open();
    const other = await another();
    const pairs = [
      ['Robert Chen', 'Maria Alvarez'],
      ['Jon Smith', 'Priya Natarajan'],
      ['Lena Fischer', 'Omar Haddad'],
      ['Grace Okafor', 'Tomas Novak'],
    ] as const;
    for (const [round, names] of pairs.entries()) {
      for (const name of names)
        await addDocument(units, who.orgId, 'medical_license', {
          licenseeName: name,
          state: 'TX',
          licenseNumber: name,
        });
      await units.write(() => reconcileOrg(who.orgId));
      const [x, y] = await Promise.all(names.map((n) => providerNamed(units, who.orgId, n)));
      const ids = [x!, y!];
      for (const name of [...names, ...names])
        await addDocument(units, who.orgId, 'cme_certificate', { participantName: name });
      const [there, reconciled, back] = await Promise.allSettled([
        units.write(() => mergeProviders(who, x!, y!)),
        other.write(() => reconcileOrg(who.orgId)),
        other.write(() => mergeProviders(who, y!, x!)),
      ]);
      expect(reconciled.status).toBe('fulfilled');
      expect([there, back].filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect([there, back].find((o) => o.status === 'rejected')).toMatchObject({ reason: { kind: 'not_found' } });
      const active = (await units.read(() => activeProvidersInWrite(who.orgId))).map((p) => p.id);
      expect(active).toHaveLength(round + 1);
      // Every match of the pair's six documents is on the one provider left of the two.
      const onPair = (await matchesOf(units, who.orgId)).filter((m) => ids.includes(m.provider_id!));
      expect(onPair).toHaveLength(6);
      expect(new Set(onPair.map((m) => m.provider_id))).toEqual(new Set(ids.filter((id) => active.includes(id))));
    }
    expect(await auditActions(units, who.orgId)).toEqual(pairs.map(() => 'provider.merged'));
  });

  it("tells each expiry notice once when two processes take a user's notices at once", async () => {
    const { units, who, another } = await open();
    const other = await another();
    const expiring = (documentId: string, bucket: Expiration['bucket']) =>
      ({
        providerId: 'p1',
        providerName: 'Ashok Sehgal',
        docType: 'medical_license',
        state: 'OH',
        number: '35.1',
        expirationDate: '2026-03-15',
        daysLeft: 70,
        bucket,
        documentId,
      }) satisfies Expiration;
    const take = (u: UnitRunner, list: Expiration[]) =>
      u.write(() => takeNewNotices(who.orgId, who.userId, list, '2026-01-01'));
    let current: Expiration[] = [];
    for (let round = 0; round < 5; round++) {
      current = [1, 2, 3].map((i) => expiring(`doc-${round}-${i}`, 'within_90'));
      const told = await Promise.all([units, other, units, other].map((u) => take(u, current)));
      // Four requests at once: each notice is answered by exactly one of them.
      expect(
        told
          .flat()
          .map((e) => e.documentId)
          .sort(),
      ).toEqual(current.map((e) => e.documentId));
    }
    expect(await take(units, current)).toEqual([]);
    const nearer = await take(other, [expiring('doc-4-1', 'within_60')]);
    expect(nearer.map((e) => e.bucket)).toEqual(['within_60']);
  });
});
