import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confirmMatch, mergeProviders, setCmeTopics, splitProvider } from '../../server/providers/coordinator-actions';
import { listProviders, providerPage } from '../../server/providers/provider-view';
import { reconcileOrg } from '../../server/providers/reconcile';
import { seedRoster } from '../../server/providers/roster';
import { activeProvidersInWrite } from '../../server/providers/provider-store';
import { deaFrom, npiFrom, providersFixture, type ProvidersFixture } from './providers-fixture';

interface MatchRow {
  document_id: string;
  provider_id: string | null;
  evidence: string;
  score: number;
  needs_confirmation: number;
  details_json: string;
}

let f: ProvidersFixture;
beforeEach(() => {
  f = providersFixture();
});
afterEach(() => f.close());

const reconcile = () => f.write(reconcileOrg(f.orgId));
const activeProviders = (orgId: string) => f.write(activeProvidersInWrite(orgId));
const matchOf = (documentId: string) =>
  f.db.prepare('SELECT * FROM provider_matches WHERE document_id = ?').get(documentId) as MatchRow;
const providerNamed = (name: string) => activeProviders(f.orgId).find((p) => p.name === name);

const ASHOK_NPI = npiFrom('145678901');
const ANITA_NPI = npiFrom('198765432');
const ASHOK_DEA = deaFrom('AS', '583672');

describe('matching documents to providers', () => {
  it('puts one person whose name is printed three ways under one provider, the initial-only form flagged as weak', () => {
    const license = f.addDocument('medical_license', {
      licenseeName: 'SEHGAL, ASHOK K.',
      state: 'OH',
      licenseNumber: '35.123456',
      npi: ASHOK_NPI,
      expirationDate: '2027-01-01',
    });
    const dea = f.addDocument('dea_registration', {
      registrantName: 'Ashok K. Sehgal, MD',
      deaNumber: ASHOK_DEA,
      state: 'OH',
    });
    const cme = f.addDocument('cme_certificate', { participantName: 'A. Sehgal', activityTitle: 'Sepsis', credits: 1 });
    reconcile();

    const providers = activeProviders(f.orgId);
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({ name: 'Ashok K. Sehgal', npi: ASHOK_NPI });
    const [l, d, c] = [matchOf(license), matchOf(dea), matchOf(cme)];
    expect([l.provider_id, d.provider_id, c.provider_id]).toEqual([
      providers[0]!.id,
      providers[0]!.id,
      providers[0]!.id,
    ]);
    expect(l).toMatchObject({ evidence: 'new', needs_confirmation: 0 });
    expect(d).toMatchObject({ evidence: 'name', needs_confirmation: 0 });
    expect(d.score).toBeGreaterThanOrEqual(0.9);
    expect(c).toMatchObject({ evidence: 'name', needs_confirmation: 1 });
    expect(c.score).toBeLessThan(0.9);
    expect(JSON.parse(c.details_json).reasons.join(' ')).toMatch(/weak/);
  });

  it('keeps two providers of one surname apart, and leaves an initial that fits both for the coordinator', () => {
    const ashok = f.addDocument('medical_license', {
      licenseeName: 'Ashok Sehgal',
      state: 'CA',
      licenseNumber: 'A123456',
      npi: ASHOK_NPI,
    });
    const anita = f.addDocument('medical_license', {
      licenseeName: 'Anita R. Sehgal, DO',
      state: 'CA',
      licenseNumber: 'A654321',
      npi: ANITA_NPI,
    });
    const either = f.addDocument('cme_certificate', {
      participantName: 'A. Sehgal',
      activityTitle: 'Ethics',
      credits: 2,
    });
    const hinted = f.addDocument(
      'cme_certificate',
      { participantName: 'A. Sehgal', activityTitle: 'Opioids', credits: 3 },
      { fileName: 'Sehgal_Anita_opioids.pdf' },
    );
    reconcile();

    expect(activeProviders(f.orgId).map((p) => p.name)).toEqual(['Anita R. Sehgal', 'Ashok Sehgal']);
    expect(matchOf(ashok).provider_id).toBe(providerNamed('Ashok Sehgal')!.id);
    expect(matchOf(anita).provider_id).toBe(providerNamed('Anita R. Sehgal')!.id);
    const e = matchOf(either);
    expect(e).toMatchObject({ provider_id: null, needs_confirmation: 1 });
    expect(JSON.parse(e.details_json).candidates).toHaveLength(2);
    // The file name suggests Anita: a hint picks among the candidates but never clears the flag.
    expect(matchOf(hinted)).toMatchObject({ provider_id: providerNamed('Anita R. Sehgal')!.id, needs_confirmation: 1 });
  });

  it('follows the NPI over the name, flagging the contradiction; a known name with another NPI is not merged silently', () => {
    f.addDocument('medical_license', {
      licenseeName: 'Ashok Sehgal',
      state: 'OH',
      licenseNumber: '35.1',
      npi: ASHOK_NPI,
    });
    reconcile();
    const otherName = f.addDocument('dea_registration', {
      registrantName: 'Maria Lopez',
      npi: ASHOK_NPI,
      deaNumber: deaFrom('BL', '612534'),
    });
    const otherNpi = f.addDocument('medical_license', {
      licenseeName: 'Ashok Sehgal',
      state: 'OH',
      licenseNumber: '35.999',
      npi: ANITA_NPI,
    });
    reconcile();

    const ashok = providerNamed('Ashok Sehgal')!;
    const byNpi = matchOf(otherName);
    expect(byNpi).toMatchObject({ provider_id: ashok.id, evidence: 'npi', needs_confirmation: 1 });
    expect(JSON.parse(byNpi.details_json).reasons.join(' ')).toMatch(/name does not match/);
    expect(matchOf(otherNpi)).toMatchObject({ provider_id: null, needs_confirmation: 1 });
    expect(activeProviders(f.orgId)).toHaveLength(1);
  });

  it('seeds providers from a roster CSV and matches documents by the identifiers it lists', () => {
    const res = f.write(
      seedRoster(
        f.orgId,
        `name,npi,dea,licenses\n"SEHGAL, ASHOK K.",${ASHOK_NPI},${ASHOK_DEA},OH:35.123456;CA:A123456\nAnita Sehgal,${ANITA_NPI},,\nBad Row,1234567898,,\n`,
      ),
    );
    expect(res).toEqual({
      created: 2,
      updated: 0,
      errors: [{ line: 4, message: 'NPI 1234567898 fails its check digit.' }],
    });

    // A DEA certificate whose name OCR garbled, and a license that prints no NPI: the identifiers decide.
    const dea = f.addDocument('dea_registration', { registrantName: 'A SEHGHL', deaNumber: ASHOK_DEA });
    const license = f.addDocument('medical_license', {
      licenseeName: 'Ashok Sehgal',
      state: 'CA',
      licenseNumber: 'A 123456',
    });
    reconcile();
    const ashok = providerNamed('Ashok K. Sehgal')!;
    expect(matchOf(dea)).toMatchObject({ provider_id: ashok.id, evidence: 'dea' });
    expect(matchOf(license)).toMatchObject({ provider_id: ashok.id, evidence: 'license', needs_confirmation: 0 });

    // Seeding again with the NPI updates the provider instead of adding one.
    const again = f.write(seedRoster(f.orgId, `name,npi\nAshok Kumar Sehgal,${ASHOK_NPI}\n`));
    expect(again).toMatchObject({ created: 0, updated: 1 });
    expect(activeProviders(f.orgId)).toHaveLength(2);
  });

  it('matches a document again after a reviewer corrects its name, and never matches across organisations', () => {
    const other = f.addOrg('Clinic B');
    f.addDocument('medical_license', { licenseeName: 'Ashok Sehgal', npi: ASHOK_NPI }, { orgId: other });
    const doc = f.addDocument('cme_certificate', { participantName: 'Jon Smith', activityTitle: 'x', credits: 1 });
    reconcile();
    expect(activeProviders(f.orgId).map((p) => p.name)).toEqual(['Jon Smith']);
    f.addDocument('medical_license', { licenseeName: 'Ashok Sehgal', state: 'OH', licenseNumber: '1', npi: ASHOK_NPI });
    f.correct(doc, { participantName: 'Ashok Sehgal' });
    reconcile();
    expect(matchOf(doc).provider_id).toBe(providerNamed('Ashok Sehgal')!.id);
    expect(activeProviders(other)).toHaveLength(0);
  });

  it("merges, splits and confirms by hand, each audited, and the reconciler keeps a coordinator's decision", () => {
    const a = f.addDocument('medical_license', {
      licenseeName: 'Robert Chen',
      state: 'TX',
      licenseNumber: 'Q1',
      npi: ASHOK_NPI,
    });
    const b = f.addDocument('cme_certificate', { participantName: 'Maria Alvarez', activityTitle: 'x', credits: 1 });
    reconcile();
    const [first, second] = [matchOf(a).provider_id!, matchOf(b).provider_id!];
    expect(first).not.toBe(second);
    const audits = () =>
      (
        f.db.prepare('SELECT action, details_json FROM audit_events ORDER BY id').all() as Array<{
          action: string;
          details_json: string;
        }>
      ).map((r) => r.action);

    f.write(mergeProviders(f.who, first, second));
    expect(matchOf(b).provider_id).toBe(first);
    expect(activeProviders(f.orgId)).toHaveLength(1);

    const split = f.write(splitProvider(f.who, first, [b], 'Maria Alvarez', null));
    expect(matchOf(b)).toMatchObject({ provider_id: split, evidence: 'manual' });
    f.correct(b, { activityTitle: 'changed' });
    reconcile();
    expect(matchOf(b)).toMatchObject({ provider_id: split, evidence: 'manual' });

    f.write(confirmMatch(f.who, b, first));
    expect(matchOf(b)).toMatchObject({ provider_id: first, evidence: 'manual', needs_confirmation: 0 });
    expect(audits()).toEqual(['provider.merged', 'provider.split', 'provider.match_confirmed']);
    expect(() => f.write(mergeProviders(f.who, first, 'nope'))).toThrow(/No provider/);
  });

  it("keeps a coordinator's CME topics for an activity, audited, and carries them through a merge", async () => {
    const cert = f.addDocument('cme_certificate', {
      participantName: 'Maria Alvarez',
      activityTitle: 'Grand rounds',
      credits: 1,
      completionDate: '2026-03-01',
    });
    const lic = f.addDocument('medical_license', { licenseeName: 'Robert Chen', state: 'TX', licenseNumber: 'Q1' });
    reconcile();
    const [maria, robert] = [matchOf(cert).provider_id!, matchOf(lic).provider_id!];
    const page = (id: string) =>
      providerPage(
        f.db,
        f.orgId,
        activeProviders(f.orgId).find((p) => p.id === id)!,
        '2026-06-01',
      );
    const activity = (await page(maria)).cme.activities[0]!;
    expect(activity.topics).toEqual([]);

    f.write(setCmeTopics(f.who, maria, activity.key, ['ethics']));
    expect((await page(maria)).cme.activities[0]!.topics).toEqual([
      { topic: 'ethics', match: null, source: 'override' },
    ]);
    expect(() => f.write(setCmeTopics(f.who, 'nope', activity.key, []))).toThrow(/No provider/);

    f.write(mergeProviders(f.who, robert, maria));
    expect((await page(robert)).cme.activities[0]!.topics).toEqual([
      { topic: 'ethics', match: null, source: 'override' },
    ]);
    const actions = (
      f.db.prepare('SELECT action FROM audit_events ORDER BY id').all() as Array<{ action: string }>
    ).map((r) => r.action);
    expect(actions).toEqual(['provider.cme_topics_set', 'provider.merged']);
  });
  it('stops counting a matched document once it is reprocessed and fails, or is replaced and waits again', async () => {
    const license = f.addDocument('medical_license', {
      licenseeName: 'Robert Chen',
      state: 'TX',
      licenseNumber: 'Q1',
      expirationDate: '2027-01-01',
    });
    const cert = f.addDocument('cme_certificate', {
      participantName: 'Robert Chen',
      activityTitle: 'Grand rounds',
      credits: 2,
      completionDate: '2026-03-01',
    });
    reconcile();
    const summary = async () => (await listProviders(f.db, f.orgId, '2026-06-01')).providers[0]!;
    expect(await summary()).toMatchObject({ documents: 2, cme: { totalCredits: 2, activities: 1 } });
    expect((await summary()).credentials).toHaveLength(1);

    const setStatus = f.db.prepare('UPDATE documents SET status = ? WHERE id = ?');
    setStatus.run('failed', cert);
    setStatus.run('uploaded', license);
    reconcile();
    expect(await summary()).toMatchObject({ documents: 0, credentials: [], cme: { totalCredits: 0, activities: 0 } });
  });
});
