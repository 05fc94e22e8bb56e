import type { BatchStats, DocumentDetail } from '../../common/api';
import type { DocumentListItem, LocalBatch, PreloadApi } from '../../preload/contract';
import { describeError } from '../bridge/bridge-error';
import type { SliceCreator } from './app-store';

export interface SummarySlice {
  localBatches: LocalBatch[];
  summaryBatchId: string | null;
  batchStats: BatchStats | null;
  /** Details of the batch's documents, for the distributions (processing time, confidence). */
  summaryDetails: DocumentDetail[];
  /** Every document of the batch from the local mirror, for the breakdown by type and the failures. */
  summaryDocuments: DocumentListItem[];
  summaryLoading: boolean;
  summaryError: string | null;
  loadBatches(): Promise<void>;
  selectBatch(localBatchId: string): Promise<void>;
  exportCsv(): Promise<string | null>;
  applyBatchFinished(event: { batchId: string }): void;
}

/** Enough documents for a faithful distribution without fetching a 2,000-file batch one by one. */
export const SUMMARY_SAMPLE = 500;
/** The mirror answers up to 1,000 rows a call; a batch larger than this is reported on its first part. */
const SUMMARY_MAX_DOCUMENTS = 20_000;

/** A batch's documents, newest first, paged through the mirror. */
async function listBatchDocuments(api: PreloadApi, batchId: string): Promise<DocumentListItem[]> {
  const all: DocumentListItem[] = [];
  while (all.length < SUMMARY_MAX_DOCUMENTS) {
    const page = await api.invoke('documents.list', {
      batchId,
      limit: 1000,
      offset: all.length,
      sort: 'updatedAt',
      direction: 'desc',
    });
    all.push(...page.items);
    if (page.items.length === 0 || all.length >= page.total) break;
  }
  return all;
}

export const createSummarySlice: SliceCreator<SummarySlice> = (set, get, api) => {
  const serverBatchId = (localId: string | null) =>
    get().localBatches.find((b) => b.id === localId)?.serverBatchId ?? null;
  return {
    localBatches: [],
    summaryBatchId: null,
    batchStats: null,
    summaryDetails: [],
    summaryDocuments: [],
    summaryLoading: false,
    summaryError: null,
    async loadBatches() {
      try {
        const localBatches = await api.invoke('batches.listLocal', undefined);
        set({ localBatches });
        const chosen = get().summaryBatchId ?? localBatches[0]?.id ?? null;
        if (chosen) await get().selectBatch(chosen);
      } catch (err) {
        set({ summaryError: describeError(err) });
      }
    },
    async selectBatch(localBatchId) {
      set({
        summaryBatchId: localBatchId,
        batchStats: null,
        summaryDetails: [],
        summaryDocuments: [],
        summaryError: null,
      });
      const batchId = serverBatchId(localBatchId);
      if (!batchId) {
        set({
          summaryError:
            'This batch has not reached the server yet: its figures appear once its first file is uploaded.',
        });
        return;
      }
      set({ summaryLoading: true });
      try {
        const [batchStats, documents] = await Promise.all([
          api.invoke('batches.stats', { batchId }),
          listBatchDocuments(api, batchId),
        ]);
        if (get().summaryBatchId !== localBatchId) return;
        set({ batchStats, summaryDocuments: documents });
        const sample = documents.slice(0, SUMMARY_SAMPLE);
        const details: DocumentDetail[] = [];
        // Four at a time: the details come from the local mirror or the server, never a flood.
        for (let i = 0; i < sample.length; i += 4) {
          const chunk = await Promise.all(sample.slice(i, i + 4).map((d) => api.invoke('documents.get', { id: d.id })));
          details.push(...chunk);
        }
        if (get().summaryBatchId === localBatchId) set({ summaryDetails: details });
      } catch (err) {
        if (get().summaryBatchId === localBatchId) set({ summaryError: describeError(err) });
      } finally {
        if (get().summaryBatchId === localBatchId) set({ summaryLoading: false });
      }
    },
    async exportCsv() {
      const batchId = serverBatchId(get().summaryBatchId);
      if (!batchId) return null;
      try {
        return await api.invoke('batches.exportCsv', { batchId });
      } catch (err) {
        set({ summaryError: describeError(err) });
        return null;
      }
    },
    applyBatchFinished() {
      void get().loadBatches();
    },
  };
};
