import type { IpcEvents, WatchedFolder } from '../../common/ipc';
import { describeError } from '../bridge/bridge-error';
import type { SliceCreator } from './app-store';

/** Watched folders: new or changed PDFs there are queued by main once they stop growing. */
export interface WatchSlice {
  watchedFolders: WatchedFolder[];
  watchError: string | null;
  /** Per folder, settled files the watch left out and why (this run of the app). */
  watchSkipped: Readonly<Record<string, ReadonlyArray<{ relPath: string; reason: string }>>>;
  loadWatchedFolders(): Promise<void>;
  watchFolder(path: string): Promise<void>;
  unwatchFolder(path: string): Promise<void>;
  /** A watched folder queued files: list them under it and show them in the queue. */
  applyWatchQueued(event: IpcEvents['watch.queued']): void;
}

/** Files listed per folder, newest first. */
const RECENT = 20;

export const createWatchSlice: SliceCreator<WatchSlice> = (set, get, api) => {
  const run = async (call: () => Promise<WatchedFolder[]>) => {
    try {
      set({ watchedFolders: await call(), watchError: null });
    } catch (err) {
      set({ watchError: describeError(err) });
    }
  };
  return {
    watchedFolders: [],
    watchError: null,
    watchSkipped: {},
    loadWatchedFolders: () => run(() => api.invoke('watch.list', undefined)),
    watchFolder: (path) => run(() => api.invoke('watch.add', { path })),
    unwatchFolder: (path) => run(() => api.invoke('watch.remove', { path })),
    applyWatchQueued(event) {
      const added = event.files.map((f) => ({ relPath: f.relPath, fileId: f.fileId, at: event.at })).reverse();
      const skipped = get().watchSkipped[event.folder] ?? [];
      set({
        watchSkipped: {
          ...get().watchSkipped,
          [event.folder]: [
            ...event.skipped,
            ...skipped.filter((k) => !event.skipped.some((e) => e.relPath === k.relPath)),
          ].slice(0, RECENT),
        },
        watchedFolders: get().watchedFolders.map((w) =>
          w.path === event.folder ? { ...w, recent: [...added, ...w.recent].slice(0, RECENT) } : w,
        ),
      });
      if (event.files.length > 0) void get().loadQueue();
    },
  };
};
