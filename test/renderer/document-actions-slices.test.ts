/**
 * The review screen's actions on one document through the contract: undo the last approval,
 * re-run a failed document, remove one; and the preflight's limits asked of the server.
 */
import { BridgeError } from '../../renderer/bridge/bridge-error';
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../renderer/store/app-store';
import { createFakeApi } from './fake-api';
import { detail } from './store-fixtures';

const bytes = () => new Uint8Array([37, 80, 68, 70]);

describe('document actions', () => {
  it('undoes the last approval: reopened on the server, opened again, with a notice', async () => {
    let status: 'review_pending' | 'approved' = 'review_pending';
    const fake = createFakeApi({
      'documents.get': ({ id }) => detail({ id, status }),
      'documents.content': bytes,
      'documents.review': ({ id }) => ((status = 'approved'), detail({ id, status })),
      'documents.reopen': ({ id }) => ((status = 'review_pending'), detail({ id, status })),
    });
    const store = createAppStore(fake.api);
    await store.getState().openReview('d1');
    // No unchecked concerns would stop it: the confirmation is not part of this test.
    store.setState({ approvalConcerns: [] });
    await store.getState().confirmApproval();
    expect(store.getState().lastApproval).toEqual({ id: 'd1', fileName: 'dea.pdf' });
    await store.getState().undoLastApproval();
    expect(fake.calls.filter((c) => c.channel === 'documents.reopen')).toEqual([
      { channel: 'documents.reopen', arg: { id: 'd1' } },
    ]);
    const s = store.getState();
    expect(s.lastApproval).toBeNull();
    expect(s.reviewDoc?.status).toBe('review_pending');
    expect(s.reviewNotice).toBe('Approval of dea.pdf undone: it is waiting for review again.');
  });

  it('keeps the undo offered when the server refuses it, with its reason', async () => {
    const fake = createFakeApi({
      'documents.get': ({ id }) => detail({ id }),
      'documents.content': bytes,
      'documents.reopen': () =>
        Promise.reject(new BridgeError('forbidden', 'Only its reviewer or an admin may reopen it.')),
    });
    const store = createAppStore(fake.api);
    store.setState({ lastApproval: { id: 'd1', fileName: 'dea.pdf' } });
    await store.getState().undoLastApproval();
    expect(store.getState().lastApproval).toEqual({ id: 'd1', fileName: 'dea.pdf' });
    expect(store.getState().reviewError).toBe('Only its reviewer or an admin may reopen it.');
  });

  it('re-runs a failed document and removes one, updating the list', async () => {
    const fake = createFakeApi({
      'documents.get': ({ id }) => detail({ id, status: 'failed', extraction: null }),
      'documents.content': bytes,
      'documents.reprocess': ({ id }) => detail({ id, status: 'uploaded', extraction: null }),
      'documents.remove': () => undefined,
    });
    const store = createAppStore(fake.api);
    store.setState({ documents: [{ ...detail({ id: 'd1', status: 'failed' }), personName: null }] });
    await store.getState().openReview('d1');
    await store.getState().reprocessReview();
    expect(store.getState().reviewNotice).toBe('Extraction of dea.pdf started again.');
    expect(store.getState().documents[0]?.status).toBe('uploaded');
    await expect(store.getState().removeReviewDocument()).resolves.toBe(true);
    const s = store.getState();
    expect(s.documents).toEqual([]);
    expect(s.screen).toBe('documents');
    expect(s.reviewId).toBeNull();
  });

  it("replaces a failed document's file: the new name and status in the list, the new bytes in the viewer", async () => {
    const fresh = new Uint8Array([37, 80, 68, 70, 45, 49]);
    let replaced = false;
    const fake = createFakeApi({
      'documents.get': ({ id }) => detail({ id, status: 'failed', extraction: null }),
      'documents.content': () => (replaced ? fresh : bytes()),
      'documents.replace': ({ id }) => (
        (replaced = true),
        detail({ id, fileName: 'dea-rescan.pdf', status: 'uploaded', extraction: null })
      ),
    });
    const store = createAppStore(fake.api);
    store.setState({ documents: [{ ...detail({ id: 'd1', status: 'failed' }), personName: null }] });
    await store.getState().openReview('d1');
    await expect(store.getState().replaceReviewFile('/in/dea-rescan.pdf')).resolves.toBe(true);
    expect(fake.calls.find((c) => c.channel === 'documents.replace')?.arg).toEqual({
      id: 'd1',
      path: '/in/dea-rescan.pdf',
    });
    const s = store.getState();
    expect(s.reviewNotice).toBe('dea.pdf replaced by dea-rescan.pdf: it is being read again.');
    expect(s.documents[0]).toMatchObject({ fileName: 'dea-rescan.pdf', status: 'uploaded' });
    expect(s.reviewPdf).toEqual(fresh);
  });

  it('replaces the document Replace was chosen on, even when another is opened while the picker is open', async () => {
    let pickerOpen!: () => void;
    let choose!: (path: string | null) => void;
    const opened = new Promise<void>((resolve) => (pickerOpen = resolve));
    const fake = createFakeApi({
      'documents.get': ({ id }) => detail({ id, fileName: `${id}.pdf`, status: 'failed', extraction: null }),
      'documents.content': bytes,
      'documents.pickReplacement': () =>
        new Promise<string | null>((resolve) => {
          choose = resolve;
          pickerOpen();
        }),
      'documents.replace': ({ id }) => detail({ id, fileName: 'rescan.pdf', status: 'uploaded', extraction: null }),
    });
    const store = createAppStore(fake.api);
    store.setState({
      documents: ['d1', 'd2'].map((id) => ({
        ...detail({ id, fileName: `${id}.pdf`, status: 'failed' }),
        personName: null,
      })),
    });
    await store.getState().openReview('d1');
    const replacing = store.getState().pickReviewReplacement();
    await opened;
    // The coordinator moves to another document while the dialog is open, then picks a file.
    await store.getState().openReview('d2');
    choose('/in/rescan.pdf');
    await expect(replacing).resolves.toBe(true);
    expect(fake.calls.filter((c) => c.channel === 'documents.replace').map((c) => c.arg)).toEqual([
      { id: 'd1', path: '/in/rescan.pdf' },
    ]);
    const s = store.getState();
    expect(s.reviewDoc?.id).toBe('d2');
    expect(s.reviewDoc?.fileName).toBe('d2.pdf');
    expect(s.documents.map((d) => [d.id, d.fileName, d.status])).toEqual([
      ['d1', 'rescan.pdf', 'uploaded'],
      ['d2', 'd2.pdf', 'failed'],
    ]);
  });

  it('changes nothing when the picker is cancelled', async () => {
    const fake = createFakeApi({
      'documents.get': ({ id }) => detail({ id, status: 'failed', extraction: null }),
      'documents.content': bytes,
      'documents.pickReplacement': () => null,
    });
    const store = createAppStore(fake.api);
    await store.getState().openReview('d1');
    await expect(store.getState().pickReviewReplacement()).resolves.toBe(false);
    expect(fake.calls.some((c) => c.channel === 'documents.replace')).toBe(false);
  });

  it("takes the preflight's limits from the server, and checks without them when it cannot say", async () => {
    const fake = createFakeApi({ 'server.limits': () => ({ maxBytes: 50 * 1048576, maxPages: 100 }) });
    const store = createAppStore(fake.api);
    await store.getState().loadPreflightLimits();
    expect(store.getState().preflightLimits).toEqual({ maxBytes: 50 * 1048576, maxPages: 100 });
    const offline = createAppStore(createFakeApi({}).api);
    await offline.getState().loadPreflightLimits();
    expect(offline.getState().preflightLimits).toEqual({ maxBytes: null, maxPages: null });
  });
});
