import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp } from '../../app/store-context';
import type { ScannedFile } from '../../../preload/contract';
import { docTypeLabel, formatBytes } from '../../format';
import type { PreflightResult } from '../../../common/pdf-preflight';
import { PREFLIGHT_LABELS } from '../../../common/pdf-preflight';
import { Thumbnail } from './Thumbnail';

const ROW_HEIGHT = 72;

function statusOf(
  file: ScannedFile,
  byId: Map<string, ScannedFile>,
  preflight: PreflightResult | undefined,
  includedAnyway: boolean,
): { label: string; tone: 'ok' | 'muted' | 'warn' } {
  if (file.kind === 'skipped') return { label: `Skipped: ${file.skipReason ?? 'not a PDF'}`, tone: 'warn' };
  if (file.duplicateOf)
    return { label: `Duplicate of ${byId.get(file.duplicateOf)?.relPath ?? 'another file'}`, tone: 'muted' };
  if (file.alreadyQueued) return { label: 'Already imported', tone: 'muted' };
  if (!preflight) return { label: 'Checking…', tone: 'muted' };
  if (!preflight.ok) {
    const { code, reason } = preflight.problem;
    const what = `${PREFLIGHT_LABELS[code]}: ${reason}`;
    return includedAnyway ? { label: `${what} Included anyway.`, tone: 'warn' } : { label: what, tone: 'warn' };
  }
  return { label: preflight.note ? `Ready (${preflight.note.toLowerCase()})` : 'Ready', tone: 'ok' };
}

export function ScanFileList() {
  const files = useApp((s) => s.scanFiles);
  const excluded = useApp((s) => s.excluded);
  const toggle = useApp((s) => s.toggleExcluded);
  const scanId = useApp((s) => s.scanId);
  const preflight = useApp((s) => s.preflight);
  const includedAnyway = useApp((s) => s.includedAnyway);
  const toggleIncludedAnyway = useApp((s) => s.toggleIncludedAnyway);
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
          const check = preflight[file.id];
          const status = statusOf(file, byId, check, includedAnyway.has(file.id));
          const selectable = file.kind === 'pdf' && !file.duplicateOf && !file.alreadyQueued;
          // A file the preflight found a problem with is left out until the user ticks it.
          const problem = selectable && check !== undefined && !check.ok;
          const included = problem ? includedAnyway.has(file.id) : selectable && !excluded.has(file.id);
          return (
            <div
              key={file.id}
              className="scan-row"
              role="row"
              data-preflight={problem ? 'problem' : undefined}
              aria-rowindex={row.index + 1}
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
            >
              <span role="cell" className="scan-check">
                <input
                  type="checkbox"
                  aria-label={problem ? `Include ${file.relPath} anyway` : `Include ${file.relPath}`}
                  checked={included}
                  disabled={!selectable}
                  onChange={() => (problem ? toggleIncludedAnyway(file.id) : toggle(file.id))}
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
