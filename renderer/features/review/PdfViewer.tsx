import { useEffect, useRef, useState, type RefObject } from 'react';
import type { BBox } from '../../../common/extraction';
import { loadPdf, renderPageToCanvas, type PDFDocumentProxy } from '../../pdf/pdf-document';

export interface Highlight {
  page: number;
  bbox: BBox;
  label: string;
}

interface Props {
  bytes: Uint8Array;
  highlight: Highlight | null;
  zoom: number;
  fitWidth: boolean;
  page: number;
  onPageCount: (pages: number) => void;
}

/** Loads the PDF's bytes with pdf.js; says on screen when they cannot be read. */
function usePdfDocument(bytes: Uint8Array, onPageCount: (pages: number) => void) {
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let loaded: PDFDocumentProxy | null = null;
    loadPdf(bytes).then(
      (doc) => {
        loaded = doc;
        if (!live) return void doc.destroy();
        setPdf(doc);
        setError(null);
        onPageCount(doc.numPages);
      },
      (err: unknown) =>
        live && setError(`This PDF could not be displayed (${err instanceof Error ? err.message : String(err)}).`),
    );
    return () => {
      live = false;
      void loaded?.destroy();
    };
  }, [bytes, onPageCount]);
  return { pdf, error, setError };
}

interface PageRender {
  pdf: PDFDocumentProxy | null;
  canvas: RefObject<HTMLCanvasElement | null>;
  page: number;
  zoom: number;
  fitWidth: boolean;
  containerWidth: number;
  setError: (error: string) => void;
}

/** Draws one page on the canvas at the zoom asked for; returns the size it was drawn at. */
function usePageRender({ pdf, canvas, page, zoom, fitWidth, containerWidth, setError }: PageRender) {
  const [size, setSize] = useState<{ cssWidth: number; cssHeight: number } | null>(null);
  useEffect(() => {
    if (!pdf || !canvas.current || containerWidth === 0) return;
    let live = true;
    void pdf
      .getPage(page)
      .then(async (p) => {
        const base = p.getViewport({ scale: 1 }).width;
        const width = fitWidth ? Math.max(200, containerWidth - 32) : base * zoom * (96 / 72);
        if (!live || !canvas.current) return;
        const drawn = await renderPageToCanvas(p, canvas.current, width);
        if (live) setSize(drawn);
      })
      .catch((err: unknown) => {
        // A render overtaken by another page or zoom, or by the document closing (the reviewer moved
        // on), is cancelled by pdf.js: expected, nothing to show. Anything else is said on screen.
        if (live && !(err instanceof Error && err.name === 'RenderingCancelledException'))
          setError(`This page could not be displayed (${err instanceof Error ? err.message : String(err)}).`);
      });
    return () => {
      live = false;
    };
  }, [pdf, canvas, page, zoom, fitWidth, containerWidth, setError]);
  return size;
}

/** One page at a time on a canvas, with the selected field's box drawn over it. */
export function PdfViewer({ bytes, highlight, zoom, fitWidth, page, onPageCount }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const { pdf, error, setError } = usePdfDocument(bytes, onPageCount);
  const [containerWidth, setContainerWidth] = useState(0);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setContainerWidth(el.clientWidth));
    observer.observe(el);
    setContainerWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);
  const size = usePageRender({ pdf, canvas, page, zoom, fitWidth, containerWidth, setError });

  const showBox = highlight && size && highlight.page === page;
  useEffect(() => {
    if (showBox) box.current?.scrollIntoView({ block: 'center', inline: 'center', behavior: 'smooth' });
  }, [showBox, highlight]);

  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  return (
    // Focusable so a keyboard user can scroll a zoomed page (arrow keys scroll the focused region).
    <div
      className="pdf-scroller"
      ref={scroller}
      data-testid="pdf-viewer"
      tabIndex={0}
      role="region"
      aria-label="Document page"
    >
      <div className="pdf-page" style={size ? { width: size.cssWidth, height: size.cssHeight } : undefined}>
        <canvas
          ref={canvas}
          aria-label={`Page ${page} of the document`}
          role="img"
          data-rendered={size ? 'true' : 'false'}
        />
        {showBox && (
          <div
            ref={box}
            className="field-highlight"
            data-testid="field-highlight"
            role="img"
            aria-label={`Where ${highlight.label} was read`}
            style={{
              left: highlight.bbox[0] * size.cssWidth,
              top: highlight.bbox[1] * size.cssHeight,
              width: Math.max(4, (highlight.bbox[2] - highlight.bbox[0]) * size.cssWidth),
              height: Math.max(4, (highlight.bbox[3] - highlight.bbox[1]) * size.cssHeight),
            }}
          />
        )}
      </div>
    </div>
  );
}
