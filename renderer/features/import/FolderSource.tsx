/**
 * Where an import starts: "Choose folder…", a drop on the window, and (in `npm run web` only) a
 * typed folder path, with the optional name filters every scan carries.
 */
import { useState, type DragEvent, type FormEvent, type ReactNode } from 'react';
import { useApp } from '../../app/store-context';
import { hasNativePickers, pathForDroppedFile } from '../../bridge/api';

/** `a, b` → ['a', 'b']: glob patterns on the path relative to the chosen folder. */
function splitGlobs(text: string): string[] {
  return text
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
}

interface Globs {
  include: string;
  exclude: string;
}

/** What to say when nothing came of a pick or a drop: the desktop has no path field to point to. */
function hints(typedPaths: boolean) {
  return typedPaths
    ? {
        noPick: 'No folder chosen. You can also type or paste a folder path below.',
        noDropPaths: 'This window cannot read dropped paths (browser mode): type or paste the folder path instead.',
      }
    : {
        noPick: 'No folder chosen: choose one, or drop a folder or PDF files here.',
        noDropPaths: 'The dropped items have no path on this computer: use “Choose folder…” instead.',
      };
}

export function FolderSource() {
  // Electron's main reads only folders picked or dropped (a typed path is refused there), so the
  // desktop offers no field to type one; `npm run web` has no picker and treats typed paths as chosen.
  const typedPaths = !hasNativePickers();
  const startScan = useApp((s) => s.startScan);
  const pickFolder = useApp((s) => s.pickFolder);
  const [path, setPath] = useState('');
  const [globs, setGlobs] = useState<Globs>({ include: '', exclude: '' });
  const [hint, setHint] = useState<string | null>(null);
  const scan = (paths: string[]) => {
    // A hint about an earlier pick or drop no longer applies once a scan starts.
    setHint(null);
    void startScan(paths, { include: splitGlobs(globs.include), exclude: splitGlobs(globs.exclude) });
  };
  const choose = async () => {
    const folder = await pickFolder();
    if (!folder) {
      setHint(hints(typedPaths).noPick);
      return;
    }
    setPath(folder);
    scan([folder]);
  };
  return (
    <DropZone onPaths={scan} onNoPaths={() => setHint(hints(typedPaths).noDropPaths)}>
      <p>Drop a folder or PDF files here, or</p>
      <button type="button" className="primary" onClick={() => void choose()}>
        Choose folder…
      </button>
      {typedPaths && <PathForm path={path} onChange={setPath} onScan={(p) => scan([p])} />}
      <GlobFilters globs={globs} onChange={setGlobs} />
      {hint && <p className="hint">{hint}</p>}
    </DropZone>
  );
}

/** The drop target: the dropped files' native paths (Electron only), or none in a browser tab. */
function DropZone({
  onPaths,
  onNoPaths,
  children,
}: {
  onPaths(paths: string[]): void;
  onNoPaths(): void;
  children: ReactNode;
}) {
  const [dragging, setDragging] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const paths = [...e.dataTransfer.files].map(pathForDroppedFile).filter((p): p is string => p !== null && p !== '');
    if (paths.length === 0) onNoPaths();
    else onPaths(paths);
  };
  return (
    <div
      className={`drop-zone${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {children}
    </div>
  );
}

/** A typed or pasted folder path (the web transport treats it as chosen). */
function PathForm({
  path,
  onChange,
  onScan,
}: {
  path: string;
  onChange(path: string): void;
  onScan(path: string): void;
}) {
  const busy = useApp((s) => s.importBusy);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim()) onScan(path.trim());
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label>
        Folder path
        <input
          type="text"
          name="folder"
          value={path}
          onChange={(e) => onChange(e.target.value)}
          placeholder="/home/me/credentials"
          spellCheck={false}
        />
      </label>
      <button type="submit" disabled={!path.trim() || busy}>
        Scan
      </button>
    </form>
  );
}

function GlobFilters({ globs, onChange }: { globs: Globs; onChange(globs: Globs): void }) {
  return (
    <details className="glob-options">
      <summary>Filter by name</summary>
      <label>
        Only files matching
        <input
          type="text"
          value={globs.include}
          onChange={(e) => onChange({ ...globs, include: e.target.value })}
          placeholder="**/*.pdf, 2025/**"
          spellCheck={false}
        />
      </label>
      <label>
        Skip files matching
        <input
          type="text"
          value={globs.exclude}
          onChange={(e) => onChange({ ...globs, exclude: e.target.value })}
          placeholder="**/old/**, *draft*"
          spellCheck={false}
        />
      </label>
    </details>
  );
}
