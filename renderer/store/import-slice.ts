import type { LocalBatch, ScannedFile, ScanProgress } from '../../preload/contract';
import type { PreflightLimits, PreflightResult } from '../../common/pdf-preflight';
import type { SliceCreator } from './app-store';
import { createPreflightActions } from './import-preflight-actions';
import { createQueueActions } from './import-queue-actions';
import { createScanActions } from './import-scan-actions';

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

/** One slice made of three: the scan, what of it goes up (preflight and choices), and queueing it. */
export const createImportSlice: SliceCreator<ImportSlice> = (set, get, api) => ({
  ...createScanActions(set, get, api),
  ...createPreflightActions(set, get, api),
  ...createQueueActions(set, get, api),
});
