import type { LocalBatch, ScannedFile, ScanProgress } from '../../preload/contract';
import { describeError } from '../bridge/bridge-error';
import type { SliceCreator } from './app-store';

export interface ImportSlice {
  scanId: string | null;
  scanPaths: string[];
  scanProgress: ScanProgress | null;
  /** In the order the scan found them. */
  scanFiles: ScannedFile[];
  /** File ids the user left out (besides duplicates and skipped files, which never queue). */
  excluded: ReadonlySet<string>;
  provider: string;
  batchName: string;
  importError: string | null;
  importBusy: boolean;
  lastQueuedBatch: LocalBatch | null;
  earlyScanFiles: Array<{ scanId: string; files: ScannedFile[] }>;
  pickFolder(): Promise<string | null>;
  startScan(paths: string[], globs?: { include?: string[]; exclude?: string[] }): Promise<void>;
  cancelScan(): Promise<void>;
  toggleExcluded(fileId: string): void;
  setImportFields(fields: Partial<Pick<ImportSlice, 'provider' | 'batchName'>>): void;
  queueScan(startNow: boolean): Promise<LocalBatch | null>;
  resetImport(): void;
  applyScanProgress(progress: ScanProgress): void;
  applyScanFiles(scanId: string, files: ScannedFile[]): void;
}

/** Files that will be queued: PDFs, not duplicates within the scan, not already queued, not excluded. */
export function queueableFiles(files: readonly ScannedFile[], excluded: ReadonlySet<string>): ScannedFile[] {
  return files.filter((f) => f.kind === 'pdf' && f.duplicateOf === null && !f.alreadyQueued && !excluded.has(f.id));
}

function defaultBatchName(paths: string[]): string {
  const first = paths[0] ?? 'Import';
  const folder = first.split(/[\\/]/).filter(Boolean).pop() ?? first;
  return `${folder} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
}

const initial = {
  scanId: null,
  scanPaths: [],
  scanProgress: null,
  scanFiles: [],
  excluded: new Set<string>(),
  importError: null,
  importBusy: false,
  earlyScanFiles: [] as Array<{ scanId: string; files: ScannedFile[] }>,
};

export const createImportSlice: SliceCreator<ImportSlice> = (set, get, api) => ({
  ...initial,
  provider: '',
  batchName: '',
  lastQueuedBatch: null,
  async pickFolder() {
    try {
      return await api.invoke('import.pickFolder', undefined);
    } catch (err) {
      set({ importError: describeError(err) });
      return null;
    }
  },
  async startScan(paths, globs = {}) {
    const previous = get().scanId;
    if (previous && !get().scanProgress?.done)
      void api.invoke('import.cancelScan', { scanId: previous }).catch(() => undefined);
    set({
      ...initial,
      excluded: new Set(),
      scanPaths: paths,
      importBusy: true,
      batchName: defaultBatchName(paths),
      lastQueuedBatch: null,
    });
    try {
      const include = globs.include?.filter(Boolean);
      const exclude = globs.exclude?.filter(Boolean);
      const { scanId } = await api.invoke('import.scan', {
        paths,
        ...(include?.length ? { include } : {}),
        ...(exclude?.length ? { exclude } : {}),
      });
      // Events may have beaten the reply: keep only those of this scan.
      set((s) => ({
        scanId,
        scanFiles: s.earlyScanFiles.filter((e) => e.scanId === scanId).flatMap((e) => e.files),
        scanProgress: s.scanProgress?.scanId === scanId ? s.scanProgress : null,
        earlyScanFiles: [],
      }));
    } catch (err) {
      set({ importError: describeError(err) });
    } finally {
      set({ importBusy: false });
    }
  },
  async cancelScan() {
    const scanId = get().scanId;
    if (!scanId) return;
    try {
      await api.invoke('import.cancelScan', { scanId });
    } catch (err) {
      set({ importError: describeError(err) });
    }
  },
  toggleExcluded(fileId) {
    const excluded = new Set(get().excluded);
    if (excluded.has(fileId)) excluded.delete(fileId);
    else excluded.add(fileId);
    set({ excluded });
  },
  setImportFields: (fields) => set(fields),
  async queueScan(startNow) {
    const { scanId, excluded, provider, batchName } = get();
    if (!scanId) return null;
    set({ importBusy: true, importError: null });
    try {
      const batch = await api.invoke('import.queue', {
        scanId,
        excludeFileIds: [...excluded],
        batchName: batchName.trim() || undefined,
        provider: provider.trim() || undefined,
        startNow,
      });
      set({ lastQueuedBatch: batch });
      return batch;
    } catch (err) {
      set({ importError: describeError(err) });
      return null;
    } finally {
      set({ importBusy: false });
    }
  },
  resetImport: () => set({ ...initial, excluded: new Set(), lastQueuedBatch: null }),
  applyScanProgress(progress) {
    if (get().scanId !== null && progress.scanId !== get().scanId) return;
    set({ scanProgress: progress });
  },
  applyScanFiles(scanId, files) {
    const current = get().scanId;
    if (current === null) {
      // The scan's first files can beat `import.scan`'s reply: hold them until we know its id.
      if (get().importBusy) set((s) => ({ earlyScanFiles: [...s.earlyScanFiles, { scanId, files }] }));
      return;
    }
    if (scanId !== current) return;
    set((s) => ({ scanFiles: [...s.scanFiles, ...files] }));
  },
});
