/**
 * The import slice's scan: picking a folder, starting and cancelling a scan, and taking in the
 * scan's events (which may arrive before `import.scan` has answered with the scan's id).
 */
import type { ScannedFile } from '../../preload/contract';
import { describeError } from '../bridge/bridge-error';
import type { PreflightResult } from '../../common/pdf-preflight';
import type { SliceCreator } from './app-store';
import { mergeScanFiles } from './import-files';
import type { ImportSlice } from './import-slice';

type ScanState = Pick<
  ImportSlice,
  | 'scanId'
  | 'scanPaths'
  | 'scanProgress'
  | 'scanFiles'
  | 'excluded'
  | 'importError'
  | 'importBusy'
  | 'earlyScanFiles'
  | 'preflight'
>;
type ScanActions = Pick<
  ImportSlice,
  'pickFolder' | 'startScan' | 'cancelScan' | 'resetImport' | 'applyScanProgress' | 'applyScanFiles'
>;

/** The state of no scan: where the slice starts, and what each new scan starts from. */
export function emptyScan(): ScanState {
  return {
    scanId: null,
    scanPaths: [],
    scanProgress: null,
    scanFiles: [],
    excluded: new Set<string>(),
    importError: null,
    importBusy: false,
    earlyScanFiles: [],
    preflight: {} as Readonly<Record<string, PreflightResult>>,
  };
}

function defaultBatchName(paths: string[]): string {
  const first = paths[0] ?? 'Import';
  const folder = first.split(/[\\/]/).filter(Boolean).pop() ?? first;
  return `${folder} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
}

/** `import.scan`'s argument: empty glob lists are left out rather than sent. */
function scanRequest(paths: string[], globs: { include?: string[]; exclude?: string[] }) {
  const include = globs.include?.filter(Boolean);
  const exclude = globs.exclude?.filter(Boolean);
  return { paths, ...(include?.length ? { include } : {}), ...(exclude?.length ? { exclude } : {}) };
}

export const createScanActions: SliceCreator<ScanState & ScanActions> = (set, get, api) => ({
  ...emptyScan(),
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
      ...emptyScan(),
      includedAnyway: new Set(),
      scanPaths: paths,
      importBusy: true,
      batchName: defaultBatchName(paths),
      lastQueuedBatch: null,
    });
    try {
      const { scanId } = await api.invoke('import.scan', scanRequest(paths, globs));
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
  resetImport: () => set({ ...emptyScan(), includedAnyway: new Set(), lastQueuedBatch: null }),
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
