import { useState, type DragEvent, type FormEvent } from 'react';
import { useApp } from '../../app/store-context';
import { pathForDroppedFile } from '../../bridge/api';
import { candidateFiles, preflightPending, queueableFiles } from '../../store/import-files';
import { formatBytes } from '../../format';
import { ScanFileList } from './ScanFileList';
import { usePreflight } from './use-preflight';
import { WatchedFolders } from './WatchedFolders';

/** `a, b` → ['a', 'b']: glob patterns on the path relative to the chosen folder. */
function splitGlobs(text: string): string[] {
  return text
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
}

// eslint-disable-next-line max-lines-per-function -- not split yet (issue 15, open): its next change should split it
export function ImportScreen() {
  const pickFolder = useApp((s) => s.pickFolder);
  const startScan = useApp((s) => s.startScan);
  const cancelScan = useApp((s) => s.cancelScan);
  const progress = useApp((s) => s.scanProgress);
  const files = useApp((s) => s.scanFiles);
  const excluded = useApp((s) => s.excluded);
  const error = useApp((s) => s.importError);
  const busy = useApp((s) => s.importBusy);
  const scanId = useApp((s) => s.scanId);
  const scanPaths = useApp((s) => s.scanPaths);
  const [path, setPath] = useState('');
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const scan = (paths: string[]) => startScan(paths, { include: splitGlobs(include), exclude: splitGlobs(exclude) });
  const [dropHint, setDropHint] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const choose = async () => {
    const folder = await pickFolder();
    if (folder) {
      setPath(folder);
      setDropHint(null);
      void scan([folder]);
    } else {
      setDropHint('No folder chosen. You can also type or paste a folder path below.');
    }
  };
  const submitPath = (e: FormEvent) => {
    e.preventDefault();
    if (!path.trim()) return;
    // A hint about an earlier pick or drop no longer applies once a scan starts.
    setDropHint(null);
    void scan([path.trim()]);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const paths = [...e.dataTransfer.files].map(pathForDroppedFile).filter((p): p is string => p !== null && p !== '');
    if (paths.length === 0) {
      setDropHint('This window cannot read dropped paths (browser mode): type or paste the folder path instead.');
      return;
    }
    setDropHint(null);
    void scan(paths);
  };

  const preflight = useApp((s) => s.preflight);
  const includedAnyway = useApp((s) => s.includedAnyway);
  usePreflight();
  const toQueue = queueableFiles(files, excluded, preflight, includedAnyway);
  const checking = preflightPending(files, preflight);
  const problems = candidateFiles(files).filter((f) => preflight[f.id]?.ok === false).length;
  return (
    <section className="screen" aria-labelledby="import-heading">
      <h1 id="import-heading">Import</h1>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop a folder or PDF files here, or</p>
        <button type="button" className="primary" onClick={() => void choose()}>
          Choose folder…
        </button>
        <form className="inline-form" onSubmit={submitPath}>
          <label>
            Folder path
            <input
              type="text"
              name="folder"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              placeholder="/home/me/credentials"
              spellCheck={false}
            />
          </label>
          <button type="submit" disabled={!path.trim() || busy}>
            Scan
          </button>
        </form>
        <details className="glob-options">
          <summary>Filter by name</summary>
          <label>
            Only files matching
            <input
              type="text"
              value={include}
              onChange={(e) => setInclude(e.target.value)}
              placeholder="**/*.pdf, 2025/**"
              spellCheck={false}
            />
          </label>
          <label>
            Skip files matching
            <input
              type="text"
              value={exclude}
              onChange={(e) => setExclude(e.target.value)}
              placeholder="**/old/**, *draft*"
              spellCheck={false}
            />
          </label>
        </details>
        {dropHint && <p className="hint">{dropHint}</p>}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {progress && (
        <div className="scan-progress" role="status" aria-live="polite">
          <span>{progress.done ? (progress.cancelled ? 'Scan cancelled' : 'Scan finished') : 'Scanning…'}</span>
          <span>
            {progress.entriesSeen} {progress.entriesSeen === 1 ? 'entry' : 'entries'}
          </span>
          <span>
            {progress.pdfs} {progress.pdfs === 1 ? 'PDF' : 'PDFs'}
          </span>
          <span>
            {progress.duplicates} {progress.duplicates === 1 ? 'duplicate' : 'duplicates'}
          </span>
          <span>{progress.skipped} skipped</span>
          <span>{formatBytes(progress.bytes)}</span>
          {!progress.done && (
            <button type="button" onClick={() => void cancelScan()}>
              Cancel scan
            </button>
          )}
        </div>
      )}
      <WatchedFolders candidate={scanId && scanPaths.length === 1 ? (scanPaths[0] ?? null) : null} />
      {scanId && <ScanFileList />}
      {scanId && (
        <QueueForm
          count={toQueue.length}
          bytes={toQueue.reduce((n, f) => n + f.sizeBytes, 0)}
          scanDone={progress?.done ?? false}
          checking={checking}
          problems={problems}
        />
      )}
    </section>
  );
}

function QueueForm({
  count,
  bytes,
  scanDone,
  checking,
  problems,
}: {
  count: number;
  bytes: number;
  scanDone: boolean;
  checking: number;
  problems: number;
}) {
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
        <button
          type="button"
          className="primary"
          disabled={busy || count === 0 || !scanDone || checking > 0}
          onClick={() => void queue(true)}
        >
          Upload {count} files now
        </button>
        <button
          type="button"
          disabled={busy || count === 0 || !scanDone || checking > 0}
          onClick={() => void queue(false)}
        >
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
