import { useEffect, useRef } from 'react';
import { useApp, useAppStore } from '../../app/store-context';
import { getApi } from '../../bridge/api';
import { preflightPdf } from '../../pdf/preflight';
import { candidateFiles } from '../../store/import-files';

/** Runs the preflight of every PDF the preview offers to upload, once per scan and file. */
export function usePreflight(): void {
  const scanId = useApp((s) => s.scanId);
  const files = useApp((s) => s.scanFiles);
  const limits = useApp((s) => s.preflightLimits);
  const setPreflight = useApp((s) => s.setPreflight);
  const loadLimits = useApp((s) => s.loadPreflightLimits);
  const signedIn = useApp((s) => s.session?.signedIn === true);
  useEffect(() => {
    if (signedIn) void loadLimits();
  }, [signedIn, loadLimits]);
  const store = useAppStore();
  const started = useRef(new Set<string>());
  useEffect(() => {
    if (!scanId) return;
    const done = store.getState().preflight;
    for (const file of candidateFiles(files)) {
      if (done[file.id]) continue;
      const key = `${scanId}:${file.id}:${limits.maxBytes}:${limits.maxPages}`;
      if (started.current.has(key)) continue;
      started.current.add(key);
      void preflightPdf(file, limits, () => getApi().invoke('import.readFile', { scanId, fileId: file.id })).then(
        (result) => setPreflight(scanId, file.id, result),
      );
    }
  }, [scanId, files, limits, setPreflight, store]);
}
