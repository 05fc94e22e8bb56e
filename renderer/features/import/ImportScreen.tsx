import { useApp } from '../../app/store-context';
import { FolderSource } from './FolderSource';
import { QueueForm } from './QueueForm';
import { ScanFileList } from './ScanFileList';
import { ScanProgressStatus } from './ScanProgressStatus';
import { usePreflight } from './use-preflight';
import { WatchedFolders } from './WatchedFolders';

/**
 * The Import screen: where files come from, the scan's progress, watched folders, and once a scan
 * has an id its preview (each file checked by the preflight) with the queue form under it.
 */
export function ImportScreen() {
  const error = useApp((s) => s.importError);
  const scanId = useApp((s) => s.scanId);
  const scanPaths = useApp((s) => s.scanPaths);
  usePreflight();
  return (
    <section className="screen" aria-labelledby="import-heading">
      <h1 id="import-heading">Import</h1>
      <FolderSource />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ScanProgressStatus />
      <WatchedFolders candidate={scanId && scanPaths.length === 1 ? (scanPaths[0] ?? null) : null} />
      {scanId && <ScanFileList />}
      {scanId && <QueueForm />}
    </section>
  );
}
