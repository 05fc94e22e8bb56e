/**
 * Stage 2: positioned words from a page's text layer, in normalised coordinates
 * (0..1, origin top-left) so OCR words and text-layer words look the same downstream.
 */
import type { PDFPageProxy } from 'pdfjs-dist/types/src/display/api';
import type { Word } from './types';

interface TextItemLike {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/** Reads the text layer of one page. Rotated pages come out upright (the viewport applies /Rotate). */
export async function readTextLayer(page: PDFPageProxy, pageNumber: number): Promise<Word[]> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent({ disableNormalization: false });
  const words: Word[] = [];
  for (const raw of content.items) {
    if (!('str' in raw)) continue;
    const item = raw as TextItemLike;
    if (!item.str.trim()) continue;
    words.push(...splitItem(item, viewport, pageNumber));
  }
  // Watermarks and seals (a state code printed across half the page) are never values.
  return words.filter((w) => w.y1 - w.y0 < 0.12);
}

interface ViewportLike {
  width: number;
  height: number;
  convertToViewportPoint(x: number, y: number): number[];
}

/** Splits one text item into words, spreading the item's advance width over its characters. */
export function splitItem(item: TextItemLike, viewport: ViewportLike, pageNumber: number): Word[] {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform;
  const fontHeight = Math.hypot(c, d) || item.height || Math.hypot(a, b) || 1;
  const advance = Math.hypot(a, b) || 1;
  // Unit vector along the baseline in PDF space, so rotated text still gets sensible boxes.
  const ux = a / advance;
  const uy = b / advance;
  const chars = item.str.length;
  const charWidth = chars > 0 ? item.width / chars : 0;
  const words: Word[] = [];
  const re = /\S+/g;
  for (let m = re.exec(item.str); m; m = re.exec(item.str)) {
    const start = m.index * charWidth;
    const end = (m.index + m[0].length) * charWidth;
    // Corners in PDF space: baseline start/end, raised by ascent, lowered by descent.
    const ascent = fontHeight * 0.8;
    const descent = fontHeight * 0.22;
    const corners: [number, number][] = [];
    for (const along of [start, end]) {
      for (const up of [-descent, ascent]) {
        corners.push([e + ux * along - uy * up, f + uy * along + ux * up]);
      }
    }
    const pts = corners.map(([x, y]) => viewport.convertToViewportPoint(x, y));
    const xs = pts.map((p) => (p[0] ?? 0) / viewport.width);
    const ys = pts.map((p) => (p[1] ?? 0) / viewport.height);
    words.push({
      text: m[0],
      page: pageNumber,
      x0: clamp01(Math.min(...xs)),
      y0: clamp01(Math.min(...ys)),
      x1: clamp01(Math.max(...xs)),
      y1: clamp01(Math.max(...ys)),
      conf: 1,
    });
  }
  return words;
}

function clamp01(v: number): number {
  if (!Number.isFinite(v)) return 0;
  return Math.min(1, Math.max(0, v));
}

/** A page's text layer is usable when it has enough real letters (not just a scanner's stamp). */
export function hasUsableText(words: Word[]): boolean {
  let letters = 0;
  for (const w of words) letters += (w.text.match(/[A-Za-z0-9]/g) ?? []).length;
  return letters >= 20;
}
