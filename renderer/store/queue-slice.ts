import type { BatchQueueFigures, QueueItem, QueueSelector, QueueState, QueueStats } from '../../preload/contract';
import { describeError } from '../bridge/bridge-error';
import type { SliceCreator } from './app-store';

export type QueueAction = 'pause' | 'resume' | 'cancel' | 'retry';

export interface QueueSlice {
  queueItems: QueueItem[];
  queueTotal: number;
  queueStats: QueueStats | null;
  /** Each batch's own figures, so two batches' bytes are never one total. */
  queueBatches: BatchQueueFigures[];
  queueFilter: QueueState | null;
  queueLoading: boolean;
  queueError: string | null;
  loadQueue(): Promise<void>;
  setQueueFilter(state: QueueState | null): Promise<void>;
  refreshQueueStats(): Promise<void>;
  refreshBatchFigures(): Promise<void>;
  queueAction(action: QueueAction, selector: QueueSelector): Promise<void>;
  applyQueueStats(stats: QueueStats): void;
  applyQueueItems(items: QueueItem[]): void;
}

const PAGE = 1000;
/** Stats events arrive several times a second while uploading; the batch table follows at most this often. */
const BATCH_FIGURES_EVERY_MS = 1000;

/**
 * Merges changed items into the list: known ids are replaced in place unless the list already
 * holds a newer copy (a page read after the event was sent); unknown ones are appended when they
 * match the filter (new batches); items that left the filtered state drop out.
 */
export function mergeQueueItems(
  current: readonly QueueItem[],
  changed: readonly QueueItem[],
  filter: QueueState | null,
): QueueItem[] {
  const byId = new Map(changed.map((i) => [i.id, i]));
  const next: QueueItem[] = [];
  for (const item of current) {
    const update = byId.get(item.id);
    if (update) byId.delete(item.id);
    const merged = update && update.updatedAt >= item.updatedAt ? update : item;
    if (filter === null || merged.state === filter) next.push(merged);
  }
  for (const added of byId.values()) if (filter === null || added.state === filter) next.push(added);
  return next;
}

export const createQueueSlice: SliceCreator<QueueSlice> = (set, get, api) => {
  let loadGeneration = 0;
  // Changes that arrive while pages load would be overwritten by older pages: keep them to re-apply.
  let changedDuringLoad: QueueItem[] | null = null;
  let batchFiguresTimer: ReturnType<typeof setTimeout> | null = null;
  return {
    queueItems: [],
    queueTotal: 0,
    queueStats: null,
    queueBatches: [],
    queueFilter: null,
    queueLoading: false,
    queueError: null,
    async loadQueue() {
      const generation = ++loadGeneration;
      changedDuringLoad = [];
      const state = get().queueFilter ?? undefined;
      set({ queueLoading: true, queueError: null });
      try {
        const items: QueueItem[] = [];
        let total = Infinity;
        // Page through everything (1,000 rows a call): 10,000 rows is a few hundred kilobytes.
        while (items.length < total) {
          const page = await api.invoke('queue.list', { offset: items.length, limit: PAGE, state });
          if (generation !== loadGeneration) return;
          total = page.total;
          items.push(...page.items);
          if (page.items.length === 0) break;
          set({ queueItems: items.slice(), queueTotal: total });
        }
        const merged = mergeQueueItems(items, changedDuringLoad ?? [], get().queueFilter);
        changedDuringLoad = null;
        set({ queueItems: merged, queueTotal: merged.length });
        await Promise.all([get().refreshQueueStats(), get().refreshBatchFigures()]);
      } catch (err) {
        set({ queueError: describeError(err) });
      } finally {
        if (generation === loadGeneration) set({ queueLoading: false });
      }
    },
    async setQueueFilter(state) {
      set({ queueFilter: state, queueItems: [] });
      await get().loadQueue();
    },
    async refreshQueueStats() {
      try {
        set({ queueStats: await api.invoke('queue.stats', undefined) });
      } catch (err) {
        set({ queueError: describeError(err) });
      }
    },
    async refreshBatchFigures() {
      try {
        set({ queueBatches: await api.invoke('queue.batchFigures', undefined) });
      } catch (err) {
        set({ queueError: describeError(err) });
      }
    },
    async queueAction(action, selector) {
      set({ queueError: null });
      try {
        await api.invoke(`queue.${action}`, selector);
      } catch (err) {
        set({ queueError: describeError(err) });
      }
    },
    applyQueueStats(queueStats) {
      set({ queueStats });
      if (batchFiguresTimer) return;
      batchFiguresTimer = setTimeout(() => {
        batchFiguresTimer = null;
        void get().refreshBatchFigures();
      }, BATCH_FIGURES_EVERY_MS);
    },
    applyQueueItems(items) {
      changedDuringLoad?.push(...items);
      const queueItems = mergeQueueItems(get().queueItems, items, get().queueFilter);
      set({ queueItems, queueTotal: queueItems.length });
    },
  };
};
