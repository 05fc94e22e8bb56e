import { useCallback, useState } from 'react';

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

/**
 * The PDF pane's page and zoom: a new document starts on its first page, and selecting a field
 * turns to the page it was read from.
 */
export function usePdfView(reviewId: string | null, fieldName: string | null, fieldPage: number | null) {
  const [page, setPage] = useState(1);
  const [pages, setPages] = useState(1);
  const [zoom, setZoom] = useState(1);
  const [fitWidth, setFitWidth] = useState(true);

  const [shownId, setShownId] = useState(reviewId);
  if (shownId !== reviewId) {
    // A new document starts on its first page.
    setShownId(reviewId);
    setPage(1);
  }
  const [followedField, setFollowedField] = useState<string | null>(null);
  if (fieldName !== null && fieldName !== followedField) {
    setFollowedField(fieldName);
    if (fieldPage && fieldPage !== page) setPage(fieldPage);
  }

  const zoomIn = useCallback(() => {
    setFitWidth(false);
    setZoom((z) => ZOOMS.find((v) => v > z) ?? z);
  }, []);
  const zoomOut = useCallback(() => {
    setFitWidth(false);
    setZoom((z) => [...ZOOMS].reverse().find((v) => v < z) ?? z);
  }, []);
  const fit = useCallback(() => setFitWidth(true), []);
  const nextPage = useCallback(() => setPage((p) => Math.min(pages, p + 1)), [pages]);
  const previousPage = useCallback(() => setPage((p) => Math.max(1, p - 1)), []);
  const onPageCount = useCallback((n: number) => setPages(n), []);

  return { page, pages, zoom, fitWidth, zoomIn, zoomOut, fit, nextPage, previousPage, onPageCount };
}

export type PdfView = ReturnType<typeof usePdfView>;
