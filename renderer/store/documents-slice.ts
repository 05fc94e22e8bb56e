import type { DocumentListItem, DocumentQuery } from '../../preload/contract';
import { describeError } from '../bridge/bridge-error';
import type { SliceCreator } from './app-store';

export interface DocumentsSlice {
  documents: DocumentListItem[];
  documentsTotal: number;
  documentQuery: DocumentQuery;
  documentsLoading: boolean;
  documentsError: string | null;
  loadDocuments(): Promise<void>;
  setDocumentQuery(patch: Partial<DocumentQuery>): Promise<void>;
  applyDocumentsChanged(ids: string[]): void;
}

export const DOCUMENTS_PAGE = 100;

export const createDocumentsSlice: SliceCreator<DocumentsSlice> = (set, get, api) => {
  let generation = 0;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  return {
    documents: [],
    documentsTotal: 0,
    documentQuery: { sort: 'updatedAt', direction: 'desc', offset: 0, limit: DOCUMENTS_PAGE },
    documentsLoading: false,
    documentsError: null,
    async loadDocuments() {
      const mine = ++generation;
      set({ documentsLoading: true, documentsError: null });
      try {
        const page = await api.invoke('documents.list', get().documentQuery);
        if (mine !== generation) return;
        set({ documents: page.items, documentsTotal: page.total });
      } catch (err) {
        if (mine === generation) set({ documentsError: describeError(err) });
      } finally {
        if (mine === generation) set({ documentsLoading: false });
      }
    },
    async setDocumentQuery(patch) {
      // Any change of filter or sort starts again at the first page, unless the patch pages.
      const offset = patch.offset ?? 0;
      set({ documentQuery: { ...get().documentQuery, ...patch, offset } });
      await get().loadDocuments();
    },
    applyDocumentsChanged(ids) {
      get().applyReviewDocumentChanged(ids);
      // A processing batch changes many documents a second: refresh the list at most every 500 ms.
      if (refreshTimer) return;
      refreshTimer = setTimeout(() => {
        refreshTimer = null;
        void get().loadDocuments();
      }, 500);
    },
  };
};
