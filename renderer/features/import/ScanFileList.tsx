import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp } from '../../app/store-context';
import type { ScannedFile } from '../../../preload/contract';
import { docTypeLabel, formatBytes } from '../../format';
import { Thumbnail } from './Thumbnail';

const ROW_HEIGHT = 72;

function statusOf(file: ScannedFile, byId: Map<string, ScannedFile>): { label: string; tone: 'ok' | 'muted' | 'warn' } {
  if (file.kind === 'skipped') return { label: `Skipped: ${file.skipReason ?? 'not a PDF'}`, tone: 'warn' };
  if (file.duplicateOf)
    return { label: `Duplicate of ${byId.get(file.duplicateOf)?.relPath ?? 'another file'}`, tone: 'muted' };
  if (file.alreadyQueued) return { label: 'Already imported', tone: 'muted' };
  return { label: 'Ready', tone: 'ok' };
}

export function ScanFileList() {
  const files = useApp((s) => s.scanFiles);
  const excluded = useApp((s) => s.excluded);
  const toggle = useApp((s) => s.toggleExcluded);
  const scanId = useApp((s) => s.scanId);
  const parent = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is designed to be used this way
  const virtual = useVirtualizer({
    count: files.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const byId = new Map(files.map((f) => [f.id, f]));

  return (
    <div className="scan-list" ref={parent} role="table" aria-label="Files found" aria-rowcount={files.length}>
      <div className="scan-list-inner" style={{ height: virtual.getTotalSize() }}>
        {virtual.getVirtualItems().map((row) => {
          const file = files[row.index];
          if (!file) return null;
          const status = statusOf(file, byId);
          const selectable = file.kind === 'pdf' && !file.duplicateOf && !file.alreadyQueued;
          return (
            <div
              key={file.id}
              className="scan-row"
              role="row"
              aria-rowindex={row.index + 1}
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
            >
              <span role="cell" className="scan-check">
                <input
                  type="checkbox"
                  aria-label={`Include ${file.relPath}`}
                  checked={selectable && !excluded.has(file.id)}
                  disabled={!selectable}
                  onChange={() => toggle(file.id)}
                />
              </span>
              <span role="cell" className="scan-thumb">
                {file.kind === 'pdf' && scanId ? (
                  <Thumbnail scanId={scanId} fileId={file.id} />
                ) : (
                  <span className="thumb-placeholder" aria-hidden="true" />
                )}
              </span>
              <span role="cell" className="scan-name" title={file.relPath}>
                {file.relPath}
              </span>
              <span role="cell" className="scan-meta">
                {formatBytes(file.sizeBytes)}
                {file.pages !== null && ` · ${file.pages} ${file.pages === 1 ? 'page' : 'pages'}`}
              </span>
              <span role="cell" className="scan-type">
                {docTypeLabel(file.typeGuess)}
              </span>
              <span role="cell" className={`scan-status tone-${status.tone}`}>
                {status.label}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
