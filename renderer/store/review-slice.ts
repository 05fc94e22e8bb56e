import type { DocumentDetail } from '../../common/api';
import { describeError } from '../bridge/bridge-error';
import { orderReviewFields } from '../review/review-fields';
import type { SliceCreator } from './app-store';
import {
  createFailedDocumentActions,
  createReplaceFileActions,
  createReviewFieldActions,
  createReviewSubmit,
} from './review-actions';

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
  /**
   * Opens the native picker (desktop) for the open document's new file and sends the one chosen
   * as that document's, even if another is open by then; false when cancelled. A picker that
   * fails rejects (the caller offers the typed-path form).
   */
  pickReviewReplacement(): Promise<boolean>;
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
    ...createReviewFieldActions(set, get, api),
    ...createReviewSubmit(set, get, api),
    ...createFailedDocumentActions(set, get, api),
    ...createReplaceFileActions(set, get, api),
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
    applyReviewDocumentChanged(ids) {
      const id = get().reviewId;
      // Unsaved edits win over a background refresh; the save itself returns the fresh document.
      if (id && ids.includes(id) && Object.keys(get().reviewEdits).length === 0 && !get().reviewBusy) {
        void loadDetail(id).catch(() => undefined);
      }
    },
  };
};
