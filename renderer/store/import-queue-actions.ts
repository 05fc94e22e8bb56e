/** The import slice's last step: the batch's name and provider, and queueing the scan's files. */
import { describeError } from '../bridge/bridge-error';
import type { SliceCreator } from './app-store';
import { candidateFiles, heldBack } from './import-files';
import type { ImportSlice } from './import-slice';

type QueueingSlice = Pick<ImportSlice, 'provider' | 'batchName' | 'lastQueuedBatch' | 'setImportFields' | 'queueScan'>;

export const createQueueActions: SliceCreator<QueueingSlice> = (set, get, api) => ({
  provider: '',
  batchName: '',
  lastQueuedBatch: null,
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
});
