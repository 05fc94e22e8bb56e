import { useEffect } from 'react';
import { useApp } from '../../app/store-context';

function folderName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/**
 * What a watch left out, one file a line with its reason (the import preview's words for a PDF the
 * server would refuse): a sentence per file read badly run together in one paragraph.
 */
function LeftOut({ folder, entries }: { folder: string; entries: readonly { relPath: string; reason: string }[] }) {
  if (entries.length === 0) return null;
  return (
    <div className="watched-skipped">
      <p>Not queued:</p>
      <ul aria-label={`Not queued from ${folder}`}>
        {entries.map((k) => (
          <li key={k.relPath}>
            <span className="watched-path">{k.relPath}</span>: {k.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Watched folders on the Import screen: the folder just chosen can be watched (a scanner's output
 * folder, say); each watched folder lists what it queued by itself and can be removed.
 */
export function WatchedFolders({ candidate }: { candidate: string | null }) {
  const folders = useApp((s) => s.watchedFolders);
  const error = useApp((s) => s.watchError);
  const skipped = useApp((s) => s.watchSkipped);
  const load = useApp((s) => s.loadWatchedFolders);
  const watch = useApp((s) => s.watchFolder);
  const unwatch = useApp((s) => s.unwatchFolder);
  useEffect(() => {
    void load();
  }, [load]);
  const canWatch = candidate !== null && !folders.some((f) => f.path === candidate);
  if (folders.length === 0 && !canWatch && !error) return null;
  return (
    <section className="watched-folders" aria-labelledby="watched-heading">
      <h2 id="watched-heading">Watched folders</h2>
      <p className="hint">
        New or changed PDFs in a watched folder are checked and queued by themselves once the file stops growing, also
        after the app restarts.
      </p>
      {canWatch && (
        <button type="button" onClick={() => void watch(candidate)}>
          Watch “{folderName(candidate)}” for new files
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul aria-label="Watched folders">
        {folders.map((f) => (
          <li key={f.path}>
            <span className="watched-path">{f.path}</span>
            {!f.eventsActive && <span className="hint"> (checked every 30 s)</span>}{' '}
            {/* The visible words start the accessible name (axe: label-content-name-mismatch). */}
            <button type="button" aria-label={`Stop watching ${f.path}`} onClick={() => void unwatch(f.path)}>
              Stop watching
            </button>
            {f.recent.length > 0 && (
              <p className="watched-recent" role="status">
                Queued: {f.recent.map((r) => r.relPath).join(', ')}
              </p>
            )}
            <LeftOut
              folder={f.path}
              entries={[
                ...(skipped[f.path] ?? []),
                ...f.skipped.filter((k) => !skipped[f.path]?.some((e) => e.relPath === k.relPath)),
              ]}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
