import type { DocumentDetail, ReviewRequest } from '../../common/api';
import { describeError } from '../bridge/bridge-error';
import { editTextFor, orderReviewFields, parseEdit } from '../review/review-fields';
import type { SliceCreator } from './app-store';

export interface ReviewSlice {
  reviewId: string | null;
  reviewDoc: DocumentDetail | null;
  reviewPdf: Uint8Array | null;
  /** Text in the edit boxes of fields the reviewer changed and has not saved yet. */
  reviewEdits: Record<string, string>;
  /** Fields the reviewer looked at and accepted as they are. */
  reviewAccepted: ReadonlySet<string>;
  selectedField: string | null;
  reviewBusy: boolean;
  reviewError: string | null;
  reviewNotice: string | null;
  openReview(id: string): Promise<void>;
  /** Moves to the next (+1) or previous (-1) document of the Documents list. */
  stepDocument(delta: 1 | -1): Promise<void>;
  selectField(name: string | null): void;
  stepField(delta: 1 | -1): void;
  editField(name: string, text: string): void;
  acceptField(name: string): void;
  submitReview(decision?: 'approve' | 'reject', reason?: string): Promise<boolean>;
  applyReviewDocumentChanged(ids: string[]): void;
  /** Extraction again for the open (failed) document. */
  reprocessReview(): Promise<void>;
  /** Sends another local PDF as the open (failed) document's file; it is extracted again. */
  replaceReviewFile(path: string): Promise<boolean>;
  /** Deletes the open document on the server (admins) and returns to the Documents list. */
  removeReviewDocument(): Promise<boolean>;
}

export const createReviewSlice: SliceCreator<ReviewSlice> = (set, get, api) => {
  const loadDetail = async (id: string) => {
    const doc = await api.invoke('documents.get', { id });
    if (get().reviewId === id) set({ reviewDoc: doc });
    return doc;
  };
  return {
    reviewId: null,
    reviewDoc: null,
    reviewPdf: null,
    reviewEdits: {},
    reviewAccepted: new Set(),
    selectedField: null,
    reviewBusy: false,
    reviewError: null,
    reviewNotice: null,
    async openReview(id) {
      set({
        reviewId: id,
        approvalConcerns: null,
        reviewDoc: null,
        reviewPdf: null,
        reviewEdits: {},
        reviewAccepted: new Set(),
        selectedField: null,
        reviewError: null,
        reviewNotice: null,
        reviewBusy: true,
        screen: 'review',
      });
      try {
        const [doc, pdf] = await Promise.all([loadDetail(id), api.invoke('documents.content', { id })]);
        if (get().reviewId !== id) return;
        set({ reviewPdf: pdf, selectedField: orderReviewFields(doc)[0]?.name ?? null });
      } catch (err) {
        if (get().reviewId === id) set({ reviewError: describeError(err) });
      } finally {
        if (get().reviewId === id) set({ reviewBusy: false });
      }
    },
    async stepDocument(delta) {
      const docs = get().documents;
      if (docs.length === 0) return;
      // A failed document has nothing to review: stepping walks past it unless the list asks for failures.
      const wantsFailed = get().documentQuery.status === 'failed';
      const at = docs.findIndex((d) => d.id === get().reviewId);
      for (let i = at === -1 ? 0 : at + delta; i >= 0 && i < docs.length; i += delta) {
        const next = docs[i];
        if (next && (wantsFailed || next.status !== 'failed')) return get().openReview(next.id);
      }
    },
    selectField: (selectedField) => set({ selectedField }),
    stepField(delta) {
      const doc = get().reviewDoc;
      if (!doc) return;
      const names = orderReviewFields(doc).map((f) => f.name);
      if (names.length === 0) return;
      const at = names.indexOf(get().selectedField ?? '');
      const next = at === -1 ? 0 : (at + delta + names.length) % names.length;
      set({ selectedField: names[next] ?? null });
    },
    editField(name, text) {
      // A refusal of the last save was about the edits: once they change it no longer applies.
      set({ reviewEdits: { ...get().reviewEdits, [name]: text }, reviewNotice: null, reviewError: null });
    },
    acceptField(name) {
      const accepted = new Set(get().reviewAccepted);
      accepted.add(name);
      set({ reviewAccepted: accepted });
    },
    async submitReview(decision, reason) {
      const { reviewDoc: doc, reviewEdits } = get();
      if (!doc) return false;
      const current = new Map(orderReviewFields(doc).map((f) => [f.name, f.value]));
      const fields: Record<string, unknown> = {};
      try {
        for (const [name, text] of Object.entries(reviewEdits)) {
          const original = current.get(name) ?? null;
          if (text === editTextFor(name, original)) continue;
          fields[name] = parseEdit(name, original, text);
        }
      } catch (err) {
        set({ reviewError: describeError(err) });
        return false;
      }
      const request: ReviewRequest = {};
      if (Object.keys(fields).length > 0) request.fields = fields;
      if (decision) request.decision = decision;
      if (reason) request.reason = reason;
      set({ reviewBusy: true, reviewError: null, reviewNotice: null });
      try {
        const updated = await api.invoke('documents.review', { id: doc.id, ...request });
        if (get().reviewId !== doc.id) return true;
        const what = decision === 'approve' ? 'Approved' : decision === 'reject' ? 'Rejected' : 'Corrections saved';
        set({ reviewDoc: updated, reviewEdits: {}, reviewNotice: `${what}.` });
        set({
          documents: get().documents.map((d) =>
            d.id === updated.id ? { ...d, status: updated.status, updatedAt: updated.updatedAt } : d,
          ),
        });
        return true;
      } catch (err) {
        set({ reviewError: describeError(err) });
        return false;
      } finally {
        set({ reviewBusy: false });
      }
    },
    async reprocessReview() {
      const doc = get().reviewDoc;
      if (!doc || get().reviewBusy) return;
      set({ reviewBusy: true, reviewError: null, reviewNotice: null });
      try {
        const updated = await api.invoke('documents.reprocess', { id: doc.id });
        if (get().reviewId !== doc.id) return;
        set({ reviewDoc: updated, reviewNotice: `Extraction of ${doc.fileName} started again.` });
        set({
          documents: get().documents.map((d) =>
            d.id === updated.id ? { ...d, status: updated.status, updatedAt: updated.updatedAt } : d,
          ),
        });
      } catch (err) {
        set({ reviewError: describeError(err) });
      } finally {
        set({ reviewBusy: false });
      }
    },
    async replaceReviewFile(path) {
      const doc = get().reviewDoc;
      if (!doc || get().reviewBusy) return false;
      set({ reviewBusy: true, reviewError: null, reviewNotice: null });
      try {
        const updated = await api.invoke('documents.replace', { id: doc.id, path });
        if (get().reviewId !== doc.id) return true;
        set({
          reviewDoc: updated,
          reviewNotice: `${doc.fileName} replaced by ${updated.fileName}: it is being read again.`,
          documents: get().documents.map((d) =>
            d.id === updated.id
              ? { ...d, fileName: updated.fileName, status: updated.status, updatedAt: updated.updatedAt }
              : d,
          ),
        });
        // The viewer shows the new file.
        const pdf = await api.invoke('documents.content', { id: doc.id }).catch(() => null);
        if (pdf && get().reviewId === doc.id) set({ reviewPdf: pdf });
        return true;
      } catch (err) {
        set({ reviewError: describeError(err) });
        return false;
      } finally {
        set({ reviewBusy: false });
      }
    },
    async removeReviewDocument() {
      const doc = get().reviewDoc;
      if (!doc || get().reviewBusy) return false;
      set({ reviewBusy: true, reviewError: null, reviewNotice: null });
      try {
        await api.invoke('documents.remove', { id: doc.id });
      } catch (err) {
        set({ reviewError: describeError(err), reviewBusy: false });
        return false;
      }
      set({
        reviewBusy: false,
        reviewId: null,
        reviewDoc: null,
        reviewPdf: null,
        documents: get().documents.filter((d) => d.id !== doc.id),
        screen: 'documents',
      });
      return true;
    },
    applyReviewDocumentChanged(ids) {
      const id = get().reviewId;
      // Unsaved edits win over a background refresh; the save itself returns the fresh document.
      if (id && ids.includes(id) && Object.keys(get().reviewEdits).length === 0 && !get().reviewBusy) {
        void loadDetail(id).catch(() => undefined);
      }
    },
  };
};
