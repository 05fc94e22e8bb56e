/**
 * The import's last step, under the preview: name the batch, optionally a provider, and upload now
 * or queue for later, once the scan is done and every file's preflight has answered.
 */
import { useApp } from '../../app/store-context';
import { formatBytes } from '../../format';
import { candidateFiles, preflightPending, queueableFiles } from '../../store/import-files';

/** What the buttons would send, what is still being checked, and how many files the preflight holds back. */
function useQueueFigures() {
  const files = useApp((s) => s.scanFiles);
  const excluded = useApp((s) => s.excluded);
  const preflight = useApp((s) => s.preflight);
  const includedAnyway = useApp((s) => s.includedAnyway);
  const scanDone = useApp((s) => s.scanProgress?.done ?? false);
  const toQueue = queueableFiles(files, excluded, preflight, includedAnyway);
  return {
    count: toQueue.length,
    bytes: toQueue.reduce((n, f) => n + f.sizeBytes, 0),
    scanDone,
    checking: preflightPending(files, preflight),
    problems: candidateFiles(files).filter((f) => preflight[f.id]?.ok === false).length,
  };
}

export function QueueForm() {
  const { count, bytes, scanDone, checking, problems } = useQueueFigures();
  const provider = useApp((s) => s.provider);
  const batchName = useApp((s) => s.batchName);
  const setFields = useApp((s) => s.setImportFields);
  const queueScan = useApp((s) => s.queueScan);
  const busy = useApp((s) => s.importBusy);
  const last = useApp((s) => s.lastQueuedBatch);
  const go = useApp((s) => s.go);
  const loadQueue = useApp((s) => s.loadQueue);

  const queue = async (startNow: boolean) => {
    const batch = await queueScan(startNow);
    if (batch && startNow) {
      void loadQueue();
      go('queue');
    }
  };
  const blocked = busy || count === 0 || !scanDone || checking > 0;
  return (
    <div className="queue-form">
      <label>
        Batch name
        <input type="text" value={batchName} onChange={(e) => setFields({ batchName: e.target.value })} />
      </label>
      <label>
        Provider (optional)
        <input
          type="text"
          value={provider}
          placeholder="Matched by NPI or name later if empty"
          onChange={(e) => setFields({ provider: e.target.value })}
        />
      </label>
      <p className="queue-form-summary" data-testid="queue-form-summary">
        {count} files · {formatBytes(bytes)} to upload{scanDone ? '' : ' (scan still running)'}
        {checking > 0 && ` · checking ${checking} ${checking === 1 ? 'file' : 'files'}`}
        {problems > 0 &&
          ` · ${problems} ${problems === 1 ? 'file has a problem and is' : 'files have problems and are'} left out unless ticked`}
      </p>
      <div className="button-row">
        <button type="button" className="primary" disabled={blocked} onClick={() => void queue(true)}>
          Upload {count} files now
        </button>
        <button type="button" disabled={blocked} onClick={() => void queue(false)}>
          Queue for later
        </button>
      </div>
      {last && (
        <p className="notice" role="status">
          Queued “{last.name}” ({last.fileCount} files).
        </p>
      )}
    </div>
  );
}
