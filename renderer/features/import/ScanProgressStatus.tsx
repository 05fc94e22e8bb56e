import { useApp } from '../../app/store-context';
import { formatBytes } from '../../format';

/** The running scan's counts, and its cancel button until it is done. */
export function ScanProgressStatus() {
  const progress = useApp((s) => s.scanProgress);
  const cancelScan = useApp((s) => s.cancelScan);
  if (!progress) return null;
  return (
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
  );
}
