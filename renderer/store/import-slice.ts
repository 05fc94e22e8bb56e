import type { LocalBatch, ScannedFile, ScanProgress } from '../../preload/contract';
import { describeError } from '../bridge/bridge-error';
import { NO_LIMITS, type PreflightLimits, type PreflightResult } from '../pdf/preflight-rules';
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
  /** Preflight of each PDF by file id (absent while it is being checked). */
  preflight: Readonly<Record<string, PreflightResult>>;
  /** Files with a preflight problem the user chose to upload anyway. */
  includedAnyway: ReadonlySet<string>;
  /** The server's limits the preflight checks against. */
  preflightLimits: PreflightLimits;
  setPreflight(scanId: string, fileId: string, result: PreflightResult): void;
  toggleIncludedAnyway(fileId: string): void;
  setPreflightLimits(limits: PreflightLimits): void;
  /** Asks the server for its limits; without an answer the checks that need them are not made. */
  loadPreflightLimits(): Promise<void>;
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

/** PDFs the preview offers to upload: not duplicates within the scan, not already queued. */
export function candidateFiles(files: readonly ScannedFile[]): ScannedFile[] {
  return files.filter((f) => f.kind === 'pdf' && f.duplicateOf === null && !f.alreadyQueued);
}

/** A candidate's preflight found a problem and the user has not chosen to include it anyway. */
export function heldBack(
  fileId: string,
  preflight: Readonly<Record<string, PreflightResult>>,
  includedAnyway: ReadonlySet<string>,
): boolean {
  const result = preflight[fileId];
  return result !== undefined && !result.ok && !includedAnyway.has(fileId);
}

/**
 * Files that will be queued: candidates not excluded by the user and not held back by the
 * preflight (a file whose preflight has not finished counts: the upload waits for it).
 */
export function queueableFiles(
  files: readonly ScannedFile[],
  excluded: ReadonlySet<string>,
  preflight: Readonly<Record<string, PreflightResult>> = {},
  includedAnyway: ReadonlySet<string> = new Set(),
): ScannedFile[] {
  return candidateFiles(files).filter((f) => !excluded.has(f.id) && !heldBack(f.id, preflight, includedAnyway));
}

/** Candidates whose preflight is still running. */
export function preflightPending(
  files: readonly ScannedFile[],
  preflight: Readonly<Record<string, PreflightResult>>,
): number {
  return candidateFiles(files).filter((f) => preflight[f.id] === undefined).length;
}

/**
 * New files are appended in the order found; a file reported again (a copy found later turned out
 * to be the original, so this one is now its duplicate) replaces its earlier copy in place.
 */
export function mergeScanFiles(current: readonly ScannedFile[], incoming: readonly ScannedFile[]): ScannedFile[] {
  const at = new Map(current.map((f, i) => [f.id, i]));
  const merged = [...current];
  for (const f of incoming) {
    const i = at.get(f.id);
    if (i === undefined) {
      at.set(f.id, merged.length);
      merged.push(f);
    } else merged[i] = f;
  }
  return merged;
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
  preflight: {} as Readonly<Record<string, PreflightResult>>,
};

// eslint-disable-next-line max-lines-per-function -- not split yet (issue 15, open): its next change should split it
export const createImportSlice: SliceCreator<ImportSlice> = (set, get, api) => ({
  ...initial,
  provider: '',
  batchName: '',
  lastQueuedBatch: null,
  includedAnyway: new Set<string>(),
  preflightLimits: NO_LIMITS,
  setPreflight(scanId, fileId, result) {
    if (get().scanId !== scanId) return;
    set((s) => ({ preflight: { ...s.preflight, [fileId]: result } }));
  },
  toggleIncludedAnyway(fileId) {
    const included = new Set(get().includedAnyway);
    if (included.has(fileId)) included.delete(fileId);
    else included.add(fileId);
    set({ includedAnyway: included });
  },
  setPreflightLimits(limits) {
    const now = get().preflightLimits;
    if (now.maxBytes === limits.maxBytes && now.maxPages === limits.maxPages) return;
    // Results checked against other limits no longer hold: the preview checks its files again.
    set({ preflightLimits: limits, preflight: {} });
  },
  async loadPreflightLimits() {
    try {
      get().setPreflightLimits(await api.invoke('server.limits', undefined));
    } catch {
      // Offline or an older server: the preflight still checks encryption, damage and blankness.
    }
  },
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
      includedAnyway: new Set(),
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
        scanFiles: s.earlyScanFiles
          .filter((e) => e.scanId === scanId)
          .reduce<ScannedFile[]>((all, e) => mergeScanFiles(all, e.files), []),
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
    const { scanId, scanFiles, excluded, preflight, includedAnyway, provider, batchName } = get();
    if (!scanId) return null;
    // Nothing the server will refuse is sent: the files the preflight held back are excluded too.
    const heldBackIds = candidateFiles(scanFiles)
      .filter((f) => heldBack(f.id, preflight, includedAnyway))
      .map((f) => f.id);
    set({ importBusy: true, importError: null });
    try {
      const batch = await api.invoke('import.queue', {
        scanId,
        excludeFileIds: [...new Set([...excluded, ...heldBackIds])],
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
  resetImport: () => set({ ...initial, excluded: new Set(), includedAnyway: new Set(), lastQueuedBatch: null }),
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
    set((s) => ({ scanFiles: mergeScanFiles(s.scanFiles, files) }));
  },
});
