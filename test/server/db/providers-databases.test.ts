/**
 * The providers module's reads on both databases: the rows are written here as the reconciler and
 * the documents module write them (those writers still run on the SQLite handle, inside its
 * transactions with the change feed and the audit chain; providers-matching.test.ts covers them).
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../../server/accounts';
import type { ServerDatabase } from '../../../server/db/open-query-db';
import { readDocuments } from '../../../server/providers/document-fields';
import { documentMatch, documentMatches } from '../../../server/providers/match-summary';
import { activeProviders, findProvider } from '../../../server/providers/provider-store';
import {
  flaggedMatches,
  listProviders,
  providerCredentials,
  providerPage,
  requireProvider,
} from '../../../server/providers/provider-view';
import { documentRow } from '../../support/document-rows';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

const TODAY = '2026-06-01';
const NPI = '1234567893';

describe.each(DATABASE_KINDS)('provider reads on %s', (kind) => {
  let t: TestServerDatabase;
  let database: ServerDatabase;
  let orgA: string;
  let orgB: string;
  const ids = { bob: '', alice: '', merged: '', foreign: '' };
  const docs = { license: '', cme: '', dea: '', failed: '', foreign: '', unmatched: '' };
  let seq = 0;

  const addProvider = async (orgId: string, name: string, npi: string | null, mergedInto: string | null = null) => {
    const id = crypto.randomUUID();
    const at = new Date().toISOString();
    await database.db
      .insertInto('providers')
      .values({
        id,
        org_id: orgId,
        name,
        npi,
        origin: 'roster',
        merged_into: mergedInto,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return id;
  };

  /** A document with its extraction (values as the worker writes them), as the documents module stores it. */
  const addDocument = async (
    orgId: string,
    docType: string,
    fields: Record<string, unknown>,
    opts: { status?: string; corrections?: Record<string, unknown> } = {},
  ) => {
    const id = crypto.randomUUID();
    await database.db
      .insertInto('documents')
      .values(
        documentRow({
          id,
          org_id: orgId,
          file_name: `${docType}.pdf`,
          size_bytes: 1000,
          provider: 'Bob Jones',
          status: opts.status ?? 'review_pending',
          doc_type: docType,
          doc_type_confidence: 0.99,
          corrections_json: JSON.stringify(
            Object.fromEntries(Object.entries(opts.corrections ?? {}).map(([k, value]) => [k, { value }])),
          ),
          change_seq: ++seq,
          rel_path: 'Bob Jones/scan.pdf',
        }),
      )
      .execute();
    const result = (values: Record<string, unknown>) =>
      JSON.stringify({
        docType,
        fields: Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value, confidence: 0.95 }])),
      });
    // An older extraction first: the latest one is read.
    for (const values of [{ ...fields, state: 'ZZ' }, fields])
      await database.db
        .insertInto('extractions')
        .values({
          document_id: id,
          job_id: 1,
          fencing_token: 1,
          pipeline_version: 'test',
          result_json: result(values),
          created_at: new Date().toISOString(),
        })
        .execute();
    return id;
  };

  const addMatch = async (
    orgId: string,
    documentId: string,
    providerId: string,
    m: { evidence: string; score: number; flagged?: boolean; at: string; candidates?: unknown[] },
  ) =>
    database.db
      .insertInto('provider_matches')
      .values({
        document_id: documentId,
        org_id: orgId,
        provider_id: providerId,
        evidence: m.evidence,
        score: m.score,
        needs_confirmation: m.flagged ? 1 : 0,
        details_json: JSON.stringify({
          reasons: [`matched on ${m.evidence}`],
          candidates: m.candidates ?? [],
          folderHint: { folder: 'Bob Jones', fits: 'same' },
        }),
        doc_name: 'Bob Jones',
        doc_npi: null,
        doc_dea: null,
        doc_id_kind: null,
        doc_id_state: null,
        doc_id_number: null,
        confirmed_by: null,
        confirmed_at: null,
        matched_change_seq: seq,
        matched_at: m.at,
      })
      .execute();

  beforeAll(async () => {
    t = await openTestServerDatabase(kind);
    database = t.database;
    const add = (org: string, email: string) =>
      addUser(database.db, { org, email, password: 'a-long-password', role: 'admin' });
    ({ orgId: orgA } = await add('Clinic A', 'a@clinic.test'));
    ({ orgId: orgB } = await add('Clinic B', 'b@clinic.test'));
    // Bytewise "Bob" sorts before "alice"; SQLite's NOCASE order (kept on both) puts alice first.
    ids.bob = await addProvider(orgA, 'Bob Jones', NPI);
    ids.alice = await addProvider(orgA, 'alice Smith', null);
    ids.merged = await addProvider(orgA, 'A. Smith', null, ids.alice);
    ids.foreign = await addProvider(orgB, 'Bob Other', null);
    for (const [k, state, value] of [
      ['license', 'OH', '35.123456'],
      ['dea', '', 'AJ1234563'],
      ['license', 'CA', 'A12345'],
    ] as const)
      await database.db
        .insertInto('provider_identifiers')
        .values({ provider_id: ids.bob, org_id: orgA, kind: k, state, value, origin: 'roster' })
        .execute();

    docs.license = await addDocument(
      orgA,
      'medical_license',
      { licenseeName: 'Bob Jones', state: 'OH', licenseNumber: '35.123456', expirationDate: '2026-07-01' },
      { corrections: { expirationDate: '2027-05-01' } },
    );
    docs.cme = await addDocument(
      orgA,
      'cme_certificate',
      { participantName: 'Bob Jones', activityTitle: 'Grand rounds', credits: 2, completionDate: '2026-03-01' },
      { status: 'approved' },
    );
    docs.dea = await addDocument(orgA, 'dea_registration', { registrantName: 'B. Jones', deaNumber: 'AJ1234563' });
    docs.failed = await addDocument(
      orgA,
      'medical_license',
      { licenseeName: 'Bob Jones', state: 'CA' },
      { status: 'failed' },
    );
    docs.foreign = await addDocument(orgB, 'medical_license', { licenseeName: 'Bob Other', state: 'TX' });
    docs.unmatched = await addDocument(orgA, 'medical_license', { licenseeName: 'Nobody Known', state: 'TX' });
    await addMatch(orgA, docs.cme, ids.bob, { evidence: 'name', score: 0.95, at: '2026-05-01T00:00:02.000Z' });
    await addMatch(orgA, docs.license, ids.bob, { evidence: 'npi', score: 1, at: '2026-05-01T00:00:01.000Z' });
    await addMatch(orgA, docs.dea, ids.bob, {
      evidence: 'name',
      score: 0.7,
      flagged: true,
      at: '2026-05-01T00:00:03.000Z',
      candidates: [{ providerId: ids.bob, score: 0.7 }],
    });
    await addMatch(orgA, docs.failed, ids.bob, { evidence: 'name', score: 1, at: '2026-05-01T00:00:04.000Z' });
    await addMatch(orgB, docs.foreign, ids.foreign, { evidence: 'name', score: 1, at: '2026-05-01T00:00:05.000Z' });
  });
  afterAll(() => t.cleanup());

  it('lists active providers by name without regard to case, and finds one by id, NPI or a merged id', async () => {
    expect((await activeProviders(database.db, orgA)).map((p) => p.name)).toEqual(['alice Smith', 'Bob Jones']);
    expect((await findProvider(database.db, orgA, NPI))?.id).toBe(ids.bob);
    expect((await findProvider(database.db, orgA, ids.merged))?.id).toBe(ids.alice);
    expect(await findProvider(database.db, orgA, ids.foreign)).toBeNull();
    await expect(requireProvider(database.db, orgA, ids.foreign)).rejects.toMatchObject({
      kind: 'not_found',
      message: `No provider ${ids.foreign}.`,
    });
  });

  it('reads the latest extraction with a reviewer correction over it, only for the organisation', async () => {
    const [license] = await readDocuments(database.db, orgA, [docs.license, docs.foreign, 'no-such-id']);
    expect(license).toMatchObject({
      id: docs.license,
      docType: 'medical_license',
      uploadProvider: 'Bob Jones',
      relPath: 'Bob Jones/scan.pdf',
      fields: { state: 'OH', expirationDate: '2027-05-01' },
    });
    expect(await readDocuments(database.db, orgA, [docs.foreign])).toEqual([]);
  });

  it('sums only settled documents whose extraction finished, and counts those waiting for confirmation', async () => {
    const { providers, documentIds } = await listProviders(database.db, orgA, TODAY);
    expect(providers.map((p) => p.name)).toEqual(['alice Smith', 'Bob Jones']);
    expect(providers[0]).toMatchObject({ documents: 0, toConfirm: 0, credentials: [] });
    expect(providers[1]).toMatchObject({
      id: ids.bob,
      npi: NPI,
      documents: 2,
      toConfirm: 1,
      credentials: [
        { docType: 'medical_license', state: 'OH', expirationDate: '2027-05-01', documentId: docs.license },
      ],
      cme: { totalCredits: 2, activities: 1 },
    });
    expect([...documentIds].sort()).toEqual([docs.license, docs.cme].sort());
    // The expirations views read the same figures.
    expect(await providerCredentials(database.db, orgA, TODAY)).toEqual([
      { id: ids.alice, name: 'alice Smith', credentials: [] },
      {
        id: ids.bob,
        name: 'Bob Jones',
        credentials: [expect.objectContaining({ documentId: docs.license, expirationDate: '2027-05-01' })],
      },
    ]);
  });

  it("shows a provider's identifiers in order, its documents with their evidence, and a coordinator's topics", async () => {
    const bob = await requireProvider(database.db, orgA, ids.bob);
    const page = await providerPage(database.db, orgA, bob, TODAY);
    expect(page.identifiers.map((i) => `${i.kind}:${i.state}:${i.value}`)).toEqual([
      'dea::AJ1234563',
      'license:CA:A12345',
      'license:OH:35.123456',
    ]);
    expect(page.documents.map((d) => [d.documentId, d.evidence, d.needsConfirmation])).toEqual([
      [docs.license, 'npi', false],
      [docs.cme, 'name', false],
      [docs.dea, 'name', true],
      [docs.failed, 'name', false],
    ]);
    expect(page.documents[0]).toMatchObject({ reasons: ['matched on npi'], folderHint: { folder: 'Bob Jones' } });
    const activity = page.cme.activities[0]!;
    expect(activity).toMatchObject({ title: 'Grand rounds', credits: 2 });
    await database.db
      .insertInto('cme_topic_overrides')
      .values({
        org_id: orgA,
        provider_id: ids.bob,
        activity_key: activity.key,
        topics_json: JSON.stringify(['ethics']),
        set_by: 'a@clinic.test',
        set_at: new Date().toISOString(),
      })
      .execute();
    const again = await providerPage(database.db, orgA, bob, TODAY);
    expect(again.cme.activities[0]!.topics).toEqual([{ topic: 'ethics', match: null, source: 'override' }]);
  });

  it("orders a provider's identifiers bytewise, as SQLite does, whatever the PostgreSQL collation", async () => {
    // Clusters are often created with a linguistic collation (en_US, ICU), which sorts '_' before
    // digits and lower case before upper; this column gets one as such a cluster's default would give it.
    if (kind === 'postgres')
      await sql`ALTER TABLE provider_identifiers ALTER COLUMN value TYPE text COLLATE "und-x-icu"`.execute(database.db);
    const carol = await addProvider(orgA, 'Carol King', null);
    for (const value of ['A_1', 'A1', 'a2'])
      await database.db
        .insertInto('provider_identifiers')
        .values({ provider_id: carol, org_id: orgA, kind: 'license', state: 'NY', value, origin: 'roster' })
        .execute();
    const page = await providerPage(database.db, orgA, await requireProvider(database.db, orgA, carol), TODAY);
    expect(page.identifiers.map((i) => i.value)).toEqual(['A1', 'A_1', 'a2']);
  });

  it('lists the matches to confirm with their candidates, and each document its match', async () => {
    expect(await flaggedMatches(database.db, orgA)).toEqual([
      expect.objectContaining({
        documentId: docs.dea,
        providerId: ids.bob,
        needsConfirmation: true,
        candidates: [{ providerId: ids.bob, score: 0.7 }],
      }),
    ]);
    const matches = await documentMatches(database.db, orgA, [docs.license, docs.dea, docs.foreign, docs.unmatched]);
    expect([...matches.keys()].sort()).toEqual([docs.license, docs.dea].sort());
    expect(matches.get(docs.license)).toEqual({
      providerId: ids.bob,
      providerName: 'Bob Jones',
      evidence: 'npi',
      score: 1,
      needsConfirmation: false,
    });
    expect(matches.get(docs.dea)).toMatchObject({ score: 0.7, needsConfirmation: true });
    expect(await documentMatch(database.db, orgA, docs.unmatched)).toBeNull();
    expect(await documentMatch(database.db, orgB, docs.foreign)).toMatchObject({ providerName: 'Bob Other' });
  });
});
