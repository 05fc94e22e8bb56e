import { describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { createAppStore } from '../../renderer/store/app-store';
import {
  confidenceLevel,
  confidenceText,
  fieldLabel,
  fromEditText,
  orderReviewFields,
  toEditText,
} from '../../renderer/review/review-fields';
import { createFakeApi } from './fake-api';
import { detail } from './store-fixtures';

describe('review fields', () => {
  it('puts failed validation first, then low and missing, then medium, then high', () => {
    expect(orderReviewFields(detail()).map((f) => f.name)).toEqual([
      'deaNumber',
      'issueDate',
      'businessActivity',
      'state',
      'npi',
      'expirationDate',
      'registrantName',
      'schedules',
    ]);
  });

  it('lets corrections win over extracted values', () => {
    const doc = detail({ corrections: { registrantName: { value: 'MORRIS, DMITRI R', by: 'me', at: 'now' } } });
    const field = orderReviewFields(doc).find((f) => f.name === 'registrantName');
    expect(field).toMatchObject({ value: 'MORRIS, DMITRI R', corrected: true, confidence: 0.97 });
  });

  it('describes confidence in words as well as colour', () => {
    expect([0.95, 0.7, 0.3, null].map(confidenceLevel)).toEqual(['high', 'medium', 'low', 'missing']);
    expect(confidenceText(0.954)).toBe('High · 95%');
    expect(confidenceText(0.42)).toBe('Low · 42%');
    expect(confidenceText(null)).toBe('Not found');
    expect(fieldLabel('expirationDate')).toBe('Expiration date');
    expect(fieldLabel('npi')).toBe('NPI');
  });

  it('edits values as text and parses them back in their original shape', () => {
    expect(toEditText(['2', '3N'])).toBe('2, 3N');
    expect(fromEditText(['2'], '2, 3N ,4')).toEqual(['2', '3N', '4']);
    expect(fromEditText(12.5, ' 14 ')).toBe(14);
    expect(() => fromEditText(12.5, 'twelve')).toThrow('"twelve" is not a number.');
    expect(fromEditText('x', '   ')).toBeNull();
    expect(fromEditText([{ title: 'a' }], '[{"title":"b"}]')).toEqual([{ title: 'b' }]);
  });
});

describe('review slice', () => {
  const setup = (doc: DocumentDetail = detail()) => {
    const fake = createFakeApi({
      'documents.get': () => doc,
      'documents.content': () => new Uint8Array([37, 80, 68, 70]),
      'documents.review': (arg) => ({ ...doc, status: arg.decision === 'approve' ? 'approved' : doc.status }),
    });
    return { fake, store: createAppStore(fake.api) };
  };

  it('opens a document with its bytes and selects the first field to check', async () => {
    const { store } = setup();
    await store.getState().openReview('d1');
    const s = store.getState();
    expect(s.screen).toBe('review');
    expect(s.reviewDoc?.id).toBe('d1');
    expect(s.reviewPdf).toEqual(new Uint8Array([37, 80, 68, 70]));
    expect(s.selectedField).toBe('deaNumber');
  });

  it('steps through fields in review order and wraps around', async () => {
    const { store } = setup();
    await store.getState().openReview('d1');
    store.getState().stepField(1);
    expect(store.getState().selectedField).toBe('issueDate');
    store.getState().stepField(-1);
    store.getState().stepField(-1);
    expect(store.getState().selectedField).toBe('schedules');
  });

  it('sends only values that changed, parsed, with the decision', async () => {
    const { store, fake } = setup();
    await store.getState().openReview('d1');
    store.getState().editField('registrantName', 'MORRIS, DMITRI R');
    store.getState().editField('schedules', '2, 3');
    store.getState().editField('deaNumber', 'BM4447784');
    await expect(store.getState().submitReview('approve')).resolves.toBe(true);
    expect(fake.calls.at(-1)).toEqual({
      channel: 'documents.review',
      arg: { id: 'd1', fields: { registrantName: 'MORRIS, DMITRI R', deaNumber: 'BM4447784' }, decision: 'approve' },
    });
    const s = store.getState();
    expect(s.reviewDoc?.status).toBe('approved');
    expect(s.reviewEdits).toEqual({});
    expect(s.reviewNotice).toBe('Approved.');
  });

  it('keeps the edits and says why when a value cannot be parsed', async () => {
    const doc = detail();
    doc.extraction!.fields.credits = { value: 2, confidence: 0.9, page: 1, bbox: [0, 0, 0.1, 0.1] };
    const { store, fake } = setup(doc);
    await store.getState().openReview('d1');
    store.getState().editField('credits', 'two');
    await expect(store.getState().submitReview()).resolves.toBe(false);
    expect(store.getState().reviewError).toBe('"two" is not a number.');
    expect(store.getState().reviewEdits).toEqual({ credits: 'two' });
    expect(fake.calls.some((c) => c.channel === 'documents.review')).toBe(false);
  });
});

describe('failed documents in review', () => {
  const list = (statuses: Array<DocumentDetail['status']>) =>
    statuses.map((status, i) => ({ ...detail({ id: `d${i}`, status }), personName: null }));

  it('Next and Previous walk past failed documents unless the list shows failures', async () => {
    const fake = createFakeApi({
      'documents.get': ({ id }) => detail({ id }),
      'documents.content': () => new Uint8Array([37]),
    });
    const store = createAppStore(fake.api);
    store.setState({ documents: list(['review_pending', 'failed', 'failed', 'approved', 'failed']) });
    await store.getState().openReview('d0');
    await store.getState().stepDocument(1);
    expect(store.getState().reviewId).toBe('d3');
    // Nothing reviewable after d3: stay.
    await store.getState().stepDocument(1);
    expect(store.getState().reviewId).toBe('d3');
    await store.getState().stepDocument(-1);
    expect(store.getState().reviewId).toBe('d0');
    store.setState({ documentQuery: { ...store.getState().documentQuery, status: 'failed' } });
    await store.getState().stepDocument(1);
    expect(store.getState().reviewId).toBe('d1');
  });

  it('lists no field rows for a document nothing was read from', () => {
    expect(orderReviewFields(detail({ status: 'failed', docType: null, extraction: null }))).toEqual([]);
  });
});
