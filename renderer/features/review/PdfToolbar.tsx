import type { ReviewCommand } from './shortcuts';
import type { PdfView } from './usePdfView';

/** Page and zoom controls above the PDF. */
export function PdfToolbar({ view, run }: { view: PdfView; run: (command: ReviewCommand) => void }) {
  const { page, pages, zoom, fitWidth } = view;
  return (
    <div className="pdf-toolbar" role="toolbar" aria-label="Page controls">
      <button type="button" disabled={page <= 1} onClick={() => run('previousPage')} aria-label="Previous page">
        ‹
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" disabled={page >= pages} onClick={() => run('nextPage')} aria-label="Next page">
        ›
      </button>
      <button type="button" onClick={() => run('zoomOut')} aria-label="Zoom out">
        −
      </button>
      {!fitWidth && <span aria-live="polite">{Math.round(zoom * 100)}%</span>}
      <button type="button" onClick={() => run('zoomIn')} aria-label="Zoom in">
        +
      </button>
      <button type="button" aria-pressed={fitWidth} onClick={() => run('fitWidth')}>
        Fit width
      </button>
    </div>
  );
}
