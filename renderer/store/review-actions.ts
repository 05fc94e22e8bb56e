import type { ReviewRequest } from '../../common/api';
import { describeError } from '../bridge/bridge-error';
import { editTextFor, orderReviewFields, parseEdit } from '../review/review-fields';
import type { SliceCreator } from './app-store';
import type { ReviewSlice } from './review-slice';

/** Moving between a document's fields, editing them and accepting them as they are. */
export const createReviewFieldActions: SliceCreator<
  Pick<ReviewSlice, 'selectField' | 'stepField' | 'editField' | 'acceptField'>
> = (set, get) => ({
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
});

/** Saving the reviewer's corrections, with or without a decision. */
export const createReviewSubmit: SliceCreator<Pick<ReviewSlice, 'submitReview'>> = (set, get, api) => ({
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
});

/** What can be done with a failed document: read it again, remove it (admins). */
export const createFailedDocumentActions: SliceCreator<
  Pick<ReviewSlice, 'reprocessReview' | 'removeReviewDocument'>
> = (set, get, api) => ({
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
});

/**
 * Replacing a failed document's file, from a typed path or the native picker. The document is the
 * one open when Replace was chosen: taken before the picker opens, so moving to another document
 * while the dialog is open cannot send the file as that other document's.
 */
export const createReplaceFileActions: SliceCreator<
  Pick<ReviewSlice, 'replaceReviewFile' | 'pickReviewReplacement'>
> = (set, get, api) => {
  const replaceFileOf = async (doc: { id: string; fileName: string }, path: string): Promise<boolean> => {
    if (get().reviewBusy) return false;
    set({ reviewBusy: true, reviewError: null, reviewNotice: null });
    try {
      const updated = await api.invoke('documents.replace', { id: doc.id, path });
      set({
        documents: get().documents.map((d) =>
          d.id === updated.id
            ? { ...d, fileName: updated.fileName, status: updated.status, updatedAt: updated.updatedAt }
            : d,
        ),
      });
      if (get().reviewId !== doc.id) return true;
      set({
        reviewDoc: updated,
        reviewNotice: `${doc.fileName} replaced by ${updated.fileName}: it is being read again.`,
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
  };
  return {
    async replaceReviewFile(path) {
      const doc = get().reviewDoc;
      return doc ? replaceFileOf(doc, path) : false;
    },
    async pickReviewReplacement() {
      const doc = get().reviewDoc;
      if (!doc || get().reviewBusy) return false;
      const path = await api.invoke('documents.pickReplacement', undefined);
      // Cancelled: nothing changes.
      return path === null ? false : replaceFileOf({ id: doc.id, fileName: doc.fileName }, path);
    },
  };
};
