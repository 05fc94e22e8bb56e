/**
 * The renderer's state: one zustand store made of feature slices, each talking to the contract
 * only through the PreloadApi it is given (Electron preload or the web transport).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PreloadApi } from '../../preload/contract';
import { createApprovalSlice, type ApprovalSlice } from './approval-slice';
import { createDocumentsSlice, type DocumentsSlice } from './documents-slice';
import { createImportSlice, type ImportSlice } from './import-slice';
import { createNavigationSlice, type NavigationSlice } from './navigation-slice';
import { createQueueSlice, type QueueSlice } from './queue-slice';
import { createReviewSlice, type ReviewSlice } from './review-slice';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { createSummarySlice, type SummarySlice } from './summary-slice';
import { createWatchSlice, type WatchSlice } from './watch-slice';

export type AppState = SessionSlice &
  NavigationSlice &
  ImportSlice &
  QueueSlice &
  DocumentsSlice &
  ReviewSlice &
  ApprovalSlice &
  SummarySlice &
  WatchSlice;
export type AppStore = StoreApi<AppState>;
export type SliceCreator<T> = (
  set: StoreApi<AppState>['setState'],
  get: StoreApi<AppState>['getState'],
  api: PreloadApi,
) => T;

export function createAppStore(api: PreloadApi): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createSessionSlice(set, get, api),
    ...createNavigationSlice(set, get, api),
    ...createImportSlice(set, get, api),
    ...createQueueSlice(set, get, api),
    ...createDocumentsSlice(set, get, api),
    ...createReviewSlice(set, get, api),
    ...createApprovalSlice(set, get, api),
    ...createSummarySlice(set, get, api),
    ...createWatchSlice(set, get, api),
  }));
}

/** Subscribes the store to the contract's events; returns the unsubscribe. */
export function connectEvents(store: AppStore, api: PreloadApi): () => void {
  const offs = [
    api.on('session.changed', (s) => store.getState().applySession(s)),
    api.on('scan.progress', (p) => store.getState().applyScanProgress(p)),
    api.on('scan.files', (e) => store.getState().applyScanFiles(e.scanId, e.files)),
    api.on('queue.stats', (s) => store.getState().applyQueueStats(s)),
    api.on('queue.items', (e) => store.getState().applyQueueItems(e.items)),
    api.on('documents.changed', (e) => store.getState().applyDocumentsChanged(e.ids)),
    api.on('batch.finished', (e) => store.getState().applyBatchFinished(e)),
    api.on('watch.queued', (e) => store.getState().applyWatchQueued(e)),
  ];
  return () => offs.forEach((off) => off());
}
