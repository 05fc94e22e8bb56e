import { describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import type { DocumentListItem } from '../../preload/contract';
import { approvalConcerns, localToday } from '../../renderer/review/approval-concerns';
import { createAppStore } from '../../renderer/store/app-store';
import { createFakeApi } from './fake-api';
import { detail } from './store-fixtures';

const reviewer = (over: Partial<Parameters<typeof approvalConcerns>[1]> = {}) => ({
  edits: {},
  accepted: new Set<string>(),
  today: '2026-12-05',
  ...over,
});

/** A medical license every rule is happy with. */
function cleanLicense(over: Partial<DocumentDetail> = {}): DocumentDetail {
  const at = (value: string, confidence = 0.97) => ({
    value,
    confidence,
    page: 1,
    bbox: [0, 0, 0.1, 0.1] as [number, number, number, number],
  });
  const base = detail({ id: 'lic', fileName: 'license.pdf', docType: 'medical_license' });
  return {
    ...base,
    extraction: {
      ...base.extraction!,
      docType: 'medical_license',
      warnings: [],
      fields: {
        licenseeName: at('Yuki Bao'),
        state: at('NY'),
        licenseNumber: at('123456'),
        licenseType: at('Physician'),
        issueDate: at('2020-01-01'),
        expirationDate: at('2028-01-31'),
        status: at('Active - Clear'),
        npi: null,
      },
    },
    ...over,
  };
}

describe('approval concerns', () => {
  it('finds nothing to confirm on a clean, current, active license', () => {
    expect(approvalConcerns(cleanLicense(), reviewer())).toEqual([]);
  });

  it('names unchecked low-confidence values, missing required fields, expiry and a bad status', () => {
    const doc = cleanLicense();
    const f = doc.extraction!.fields;
    f.licenseeName = { ...f.licenseeName!, value: 'Yuki B. o', confidence: 0.49 };
    f.licenseType = null;
    f.expirationDate = { ...f.expirationDate!, value: '2026-12-04' };
    f.status = { ...f.status!, value: 'INACTIVE' };
    expect(approvalConcerns(doc, reviewer())).toEqual([
      {
        field: 'licenseeName',
        message: 'Licensee name "Yuki B. o" was read with 49% confidence and has not been checked.',
      },
      { field: 'licenseType', message: 'License type is missing.' },
      { field: 'expirationDate', message: 'The credential expired on 2026-12-04.' },
      { field: 'status', message: 'Status is "INACTIVE", not Active, Clear or Current.' },
    ]);
  });

  it('counts a value as checked once accepted, edited or corrected, and judges the edited value', () => {
    const doc = cleanLicense();
    doc.extraction!.fields.licenseeName = { ...doc.extraction!.fields.licenseeName!, confidence: 0.5 };
    expect(approvalConcerns(doc, reviewer({ accepted: new Set(['licenseeName']) }))).toEqual([]);
    expect(approvalConcerns(doc, reviewer({ edits: { licenseeName: 'Yuki Bao' } }))).toEqual([]);
    expect(
      approvalConcerns(
        { ...doc, corrections: { licenseeName: { value: 'Yuki Bao', by: 'me', at: 'now' } } },
        reviewer(),
      ),
    ).toEqual([]);
    // Clearing a required value in the edit box, or typing an expired date, is caught too.
    expect(
      approvalConcerns(doc, reviewer({ edits: { licenseeName: ' ', expirationDate: '2025-01-01' } })).map(
        (c) => c.message,
      ),
    ).toEqual(['Licensee name is missing.', 'The credential expired on 2025-01-01.']);
  });

  it('treats a credential expiring today as current and a missing NPI as no concern', () => {
    const doc = cleanLicense();
    doc.extraction!.fields.expirationDate = { ...doc.extraction!.fields.expirationDate!, value: '2026-12-05' };
    expect(approvalConcerns(doc, reviewer())).toEqual([]);
    expect(localToday(new Date(2026, 0, 9, 23, 30))).toBe('2026-01-09');
  });
});

describe('approval slice', () => {
  const summary = (id: string, status: DocumentListItem['status']): DocumentListItem => ({
    ...cleanLicense({ id, fileName: `${id}.pdf`, status }),
    personName: null,
  });

  const setup = (docs: Record<string, DocumentDetail>) => {
    const fake = createFakeApi({
      'documents.get': ({ id }) => docs[id]!,
      'documents.content': () => new Uint8Array([37, 80, 68, 70]),
      'documents.review': (arg) => ({
        ...docs[arg.id]!,
        status: arg.decision === 'approve' ? 'approved' : docs[arg.id]!.status,
      }),
    });
    const store = createAppStore(fake.api);
    store.setState({
      documents: ['a', 'b', 'c', 'd'].map((id) => summary(id, id === 'c' ? 'approved' : 'review_pending')),
    });
    return { fake, store };
  };
  const approvals = (calls: Array<{ channel: string; arg: unknown }>) =>
    calls.filter((c) => c.channel === 'documents.review');

  it('approves a clean document at once and opens the next one waiting for review', async () => {
    const { store, fake } = setup({ b: cleanLicense({ id: 'b', fileName: 'b.pdf' }), d: cleanLicense({ id: 'd' }) });
    await store.getState().openReview('b');
    await store.getState().requestApproval();
    expect(approvals(fake.calls)).toEqual([{ channel: 'documents.review', arg: { id: 'b', decision: 'approve' } }]);
    // c is already approved: skipped.
    expect(store.getState().reviewId).toBe('d');
    expect(store.getState().reviewNotice).toBe('Approved b.pdf. This is the next document waiting for review.');
    expect(store.getState().documents.find((d) => d.id === 'b')?.status).toBe('approved');
  });

  it('asks first when something is doubtful; going back approves nothing and selects the field', async () => {
    const expired = cleanLicense({ id: 'a' });
    expired.extraction!.fields.expirationDate = { ...expired.extraction!.fields.expirationDate!, value: '2020-06-30' };
    const { store, fake } = setup({ a: expired });
    await store.getState().openReview('a');
    store.getState().selectField('state');
    await store.getState().requestApproval();
    expect(store.getState().approvalConcerns).toEqual([
      { field: 'expirationDate', message: 'The credential expired on 2020-06-30.' },
    ]);
    expect(approvals(fake.calls)).toEqual([]);
    store.getState().cancelApproval();
    expect(store.getState().approvalConcerns).toBeNull();
    expect(store.getState().selectedField).toBe('expirationDate');
    expect(approvals(fake.calls)).toEqual([]);
  });

  it('approves once on confirmation, wrapping round to the first waiting document', async () => {
    const doubtful = cleanLicense({ id: 'd' });
    doubtful.extraction!.fields.status = { ...doubtful.extraction!.fields.status!, value: 'PROBATION' };
    const { store, fake } = setup({ a: cleanLicense({ id: 'a' }), d: doubtful });
    await store.getState().openReview('d');
    await store.getState().requestApproval();
    expect(store.getState().approvalConcerns?.map((c) => c.field)).toEqual(['status']);
    await Promise.all([store.getState().confirmApproval(), store.getState().confirmApproval()]);
    expect(approvals(fake.calls)).toHaveLength(1);
    expect(store.getState().reviewId).toBe('a');
  });

  it('stays on the approved document and says so when none is left waiting', async () => {
    const { store } = setup({ a: cleanLicense({ id: 'a' }) });
    store.setState({ documents: [summary('a', 'review_pending')] });
    await store.getState().openReview('a');
    await store.getState().requestApproval();
    expect(store.getState().reviewId).toBe('a');
    expect(store.getState().reviewDoc?.status).toBe('approved');
    expect(store.getState().reviewNotice).toBe('Approved. No other document in the list is waiting for review.');
  });
});
